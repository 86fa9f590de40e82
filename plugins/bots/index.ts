import { randomInt } from 'node:crypto';
import { definePlugin } from '../../core/index.js';
import { botsOptions, type BotKind } from './config.js';
import { migrations } from './migrations.js';
import { PollStore, ReminderStore } from './store.js';
import { Reminders } from './reminders.js';
import { bots, type BotsCommands } from './commands/index.js';
import { BotRunner } from './runner.js';
import '../channels/api.js';
import '../history/api.js';
import '../auth/api.js';

export default definePlugin({
  name: 'bots',
  version: '1.0.0',
  description: 'the bot runner, and command bots for a team chat: dice, seen, remind, poll',
  optionalDependencies: ['channels', 'history', 'auth', 'admin'],
  options: botsOptions,
  migrations,
  async setup(ctx) {
    const config = ctx.config;
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
