import { randomInt } from 'node:crypto';
import { definePlugin, isValidUserName, nameKey } from '../../core/index.js';
import { isValidChannelName } from '../channels/api.js';
import { botKinds, botsDefaults, type BotKind, type BotsConfig } from './config.js';
import { migrations } from './migrations.js';
import { PollStore, ReminderStore } from './store.js';
import { Reminders } from './reminders.js';
import { checkTimeZone } from './when.js';
import { bots, type BotsCommands } from './commands/index.js';
import { BotRunner } from './runner.js';
import '../channels/api.js';
import '../history/api.js';
import '../auth/api.js';

export default definePlugin({
  name: 'bots',
  version: '1.0.0',
  description: 'the bot runner, and command bots for a team chat: dice, seen, remind, poll',
  optionalDependencies: ['channels', 'history', 'auth'],
  defaults: botsDefaults,
  migrations,
  async setup(ctx) {
    const config = ctx.config;
    check(config);
    const l = config.limits;
    // The runner puts lines to every plugin's bots (they register through the `bots` service), with these limits.
    const runner = new BotRunner();
    runner.log = ctx.log;
    runner.clock = ctx.clock;
    runner.configure({
      timeoutMs: l.timeoutMs,
      perUser: { count: l.userCommands, windowMs: l.userWindowSeconds * 1000 },
      perBot: { count: l.botAnswers, windowMs: l.botWindowSeconds * 1000 },
      maxLines: l.maxLines,
      maxLineLength: l.maxLineLength,
    });

    const reminderStore = new ReminderStore(ctx.db);
    const reminders = new Reminders(ctx, reminderStore, ctx.clock, ctx.log, config.remind, config.names.remind);
    const deps: BotsCommands = {
      config, clock: ctx.clock, log: ctx.log, sessions: ctx.sessions, bots: runner, service: ctx.service,
      rng: (n) => randomInt(1, n + 1), reminderStore, reminders, polls: new PollStore(ctx.db),
    };
    // A deleted channel's polls go; its reminders are delivered as DMs (a new channel of that name starts empty).
    ctx.hook('channel.deleted', async ({ channel }) => {
      await deps.polls.purge(channel);
      await reminderStore.unbind(channel);
    });
    // In the configured order (the runner lists bots in the order they were added).
    for (const kind of config.enabled) {
      const bot = bots.find((definition) => definition.kind === kind)!;
      const name = config.names[bot.kind];
      // A user with a bot's name would be shadowed by the bot (DMs to the name reach the bot).
      const account = await ctx.service('auth')?.findUser(name).catch(() => undefined);
      if (account) ctx.log.warn(`user ${account.name} has the name of the ${bot.kind} bot; set plugins.bots.names.${bot.kind} to another name`);
      runner.add({ name, channels: [...config.channels], description: bot.description, commands: bot.commands.map((make) => make(deps)) }, ctx.name);
    }
    // Offered before channels is handed the runner, so that other plugins' bots are in it by then (a reload).
    ctx.provide('bots', runner);
    ctx.attach('channels', (channels) => channels.useBots(runner));
    ctx.attach('auth', (auth) => auth.reserveNames((name) => runner.get(name) !== undefined));
    if (config.enabled.includes('remind')) await reminders.start();
  },
});

/** Refuse a config that cannot work, naming the setting. */
function check(config: BotsConfig): void {
  for (const c of config.channels) {
    if (typeof c !== 'string' || !isValidChannelName(c)) throw new Error(`plugins.bots.channels: ${JSON.stringify(c)} is not a channel name`);
  }
  const seen = new Set<string>();
  for (const kind of config.enabled) {
    if (!botKinds.includes(kind as BotKind)) throw new Error(`plugins.bots.enabled: unknown bot ${JSON.stringify(kind)} (known: ${botKinds.join(', ')})`);
    const name = config.names[kind as BotKind];
    if (!isValidUserName(name)) throw new Error(`plugins.bots.names.${kind}: ${JSON.stringify(name)} is not a valid name`);
    if (seen.has(nameKey(name))) throw new Error(`plugins.bots.names: ${name} is used twice`);
    seen.add(nameKey(name));
  }
  const l = config.limits;
  for (const [key, value] of Object.entries(l)) {
    if (!Number.isFinite(value) || value < 0) throw new Error(`plugins.bots.limits.${key} must be a number ≥ 0`);
  }
  if (l.timeoutMs < 1 || l.maxLines < 1 || l.maxLineLength < 20) throw new Error('plugins.bots.limits: timeoutMs ≥ 1, maxLines ≥ 1, maxLineLength ≥ 20');
  if (config.dice.maxDice < 1 || config.dice.maxSides < 2) throw new Error('plugins.bots.dice: maxDice ≥ 1, maxSides ≥ 2');
  if (config.poll.maxOptions < 2) throw new Error('plugins.bots.poll.maxOptions must be at least 2');
  try { checkTimeZone(config.remind.timeZone); } catch { throw new Error(`plugins.bots.remind.timeZone: unknown time zone ${JSON.stringify(config.remind.timeZone)}`); }
}
