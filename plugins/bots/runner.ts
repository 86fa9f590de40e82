import { CommandArgs, RateLimiter, Registry, clip, helpLine, nameKey, plural, systemClock, tooFewArgs, type Clock, type Logger, type RateLimit } from '../../core/index.js';
import { isBotError, type BotCommand, type BotEntry, type BotSpec, type BotsService } from './api.js';
import type { BotReply } from '../channels/api.js';

export interface BotLimits {
  /** A handler still running after this is cut off and the user is told. */
  timeoutMs: number;
  /** Bot commands one user may give (all bots together). Past it: one "slow down", then silence. */
  perUser: RateLimit;
  /** Answers one bot gives in one channel (or one DM conversation), whoever asks. Past it: one note, then silence. */
  perBot: RateLimit;
  /** Lines one answer may have; more are cut with a note. */
  maxLines: number;
  /** Characters one line of an answer may have; longer ones are cut. */
  maxLineLength: number;
  /** Runs of one bot still going (a hung handler counts until it ends); past it the bot says it is busy. */
  maxPending: number;
}

export const defaultBotLimits: BotLimits = {
  timeoutMs: 5_000,
  perUser: { count: 5, windowMs: 10_000 },
  perBot: { count: 10, windowMs: 10_000 },
  maxLines: 8,
  maxLineLength: 1_000,
  maxPending: 16,
};

/** Keep what a bot says to protocol lines: no control characters, bounded lines, a bounded count. */
export function tidyLines(out: unknown, limits: Pick<BotLimits, 'maxLines' | 'maxLineLength'>): string[] {
  const raw = out === undefined || out === null ? [] : Array.isArray(out) ? out : [out];
  const lines: string[] = [];
  for (const item of raw) {
    if (item === undefined || item === null) continue;
    for (const piece of String(item).replace(/\t/g, ' ').split(/\r?\n/)) {
      // eslint-disable-next-line no-control-regex
      const clean = piece.replace(/[\u0000-\u001f\u007f]/g, '').trimEnd();
      if (clean === '') continue;
      const chars = [...clean];
      lines.push(chars.length > limits.maxLineLength ? `${chars.slice(0, Math.max(1, limits.maxLineLength - 1)).join('')}…` : clean);
    }
  }
  const max = Math.max(1, limits.maxLines);
  if (max === 1) return lines.slice(0, 1);
  if (lines.length > max) {
    const more = lines.length - (max - 1);
    return [...lines.slice(0, max - 1), `… (${plural(more, 'more line')} cut)`];
  }
  return lines;
}

function seconds(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))}s`;
}

/**
 * The bots registered (this plugin's and other plugins', through the bots service), and the runner that
 * puts a line to them. The channels plugin seats the bots and calls `channelLine` / `directLine` (this is
 * the directory it is given); what the bots answer it posts as ordinary messages from them.
 * The runner never throws: a failing or hanging handler becomes a short answer and a log line, and the
 * rate limits (per user, per bot and conversation) keep a bot from being used to flood a channel.
 */
export class BotRunner implements BotsService {
  private readonly table = new Registry<BotEntry>('bot');
  private readonly listeners = new Set<(change: 'added' | 'removed', bot: BotEntry) => void>();
  private readonly pending = new Map<string, number>();
  private readonly userLimiter = new RateLimiter(() => this.limits.perUser, () => this.clock.now());
  private readonly botLimiter = new RateLimiter(() => this.limits.perBot, () => this.clock.now());
  /** The limits in force: the defaults with every configure() layer over them, newest last. */
  limits: BotLimits = { ...defaultBotLimits };
  private readonly layers: Partial<BotLimits>[] = [];
  log?: Logger;
  /** Time for the rate limits (the server's clock, injectable in tests). */
  clock: Clock = systemClock;

  /**
   * Change some limits (the plugin's settings). Returns how to take the change back: layers, so that
   * whoever set limits can take exactly theirs back.
   */
  configure(changes: Partial<BotLimits>): () => void {
    const layer = { ...changes };
    this.layers.push(layer);
    this.limits = Object.assign({ ...defaultBotLimits }, ...this.layers);
    return () => {
      const i = this.layers.indexOf(layer);
      if (i < 0) return;
      this.layers.splice(i, 1);
      this.limits = Object.assign({ ...defaultBotLimits }, ...this.layers);
    };
  }

  /** A `!command …` line in a channel where `present` bots sit. Lines without `!`, and lines from bots, get no answer. */
  async channelLine(from: string, channel: string, text: string, present: readonly string[]): Promise<BotReply[]> {
    try {
      if (!text.startsWith('!') || this.get(from)) return [];
      const bots = present.map((n) => this.get(n)).filter((b): b is BotEntry => b !== undefined);
      if (bots.length === 0) return [];
      const args = new CommandArgs(text.slice(1));
      const name = args.get(0)?.toLowerCase();
      if (!name) return [];
      if (name === 'help') {
        const gate = this.admit(from, bots[0]!, channel, 'help');
        if (gate) return gate;
        return this.channelHelp(bots, from, args.get(1));
      }
      for (const bot of bots) {
        const command = findCommand(bot, name);
        if (command) return await this.call(bot, command, from, channel, new CommandArgs(args.rest(1)));
      }
      return [];
    } catch (err) {
      this.log?.error(`bots: a line from ${from} in ${channel} failed`, err);
      return [];
    }
  }

  /** A direct message to a bot: a command with or without `!`; `help` lists the bot's commands. */
  async directLine(from: string, botName: string, text: string): Promise<BotReply[]> {
    try {
      const bot = this.get(botName);
      if (!bot || this.get(from)) return [];
      const args = new CommandArgs(text.trim().replace(/^!/, ''));
      const name = args.get(0)?.toLowerCase() ?? '';
      if (name === '' || name === 'help') {
        const gate = this.admit(from, bot, undefined, 'help');
        if (gate) return gate;
        return this.directHelp(bot, args.get(1));
      }
      const command = findCommand(bot, name);
      if (!command) {
        const gate = this.admit(from, bot, undefined, name);
        if (gate) return gate;
        return [{ bot: bot.name, text: `I don't know "${clip(name, 40)}". My commands: ${bot.commands.map((c) => c.name).join(', ')}. Say help <command> for how to use one.` }];
      }
      return await this.call(bot, command, from, undefined, new CommandArgs(args.rest(1)));
    } catch (err) {
      this.log?.error(`bots: a direct line from ${from} to ${botName} failed`, err);
      return [];
    }
  }

  /** The rate limits, in order: the user's, then the bot's in this conversation. Undefined: go ahead. */
  private admit(from: string, bot: BotEntry, channel: string | undefined, command: string): BotReply[] | undefined {
    const user = this.userLimiter.take(nameKey(from));
    if (!user.ok) {
      if (!user.warn) return [];
      this.log?.info(`user ${from} is giving bots too many commands (!${command}); quiet for ${seconds(user.retryMs)}`);
      return [{ bot: bot.name, text: `${from}: slow down — I'll answer you again in ${seconds(user.retryMs)}.` }];
    }
    const conversation = channel ? nameKey(channel) : `@${nameKey(from)}`;
    const botVerdict = this.botLimiter.take(`${nameKey(bot.name)} ${conversation}`);
    if (!botVerdict.ok) {
      if (!botVerdict.warn) return [];
      this.log?.info(`bot ${bot.name} reached its answer limit in ${channel ?? `a DM with ${from}`}; quiet for ${seconds(botVerdict.retryMs)}`);
      return [{ bot: bot.name, text: `I'm answering too much here; back in ${seconds(botVerdict.retryMs)}.` }];
    }
    return undefined;
  }

  private channelHelp(bots: BotEntry[], from: string, topic: string | undefined): BotReply[] {
    if (topic) {
      const wanted = topic.replace(/^!/, '').toLowerCase();
      for (const bot of bots) {
        const command = findCommand(bot, wanted);
        if (command) return [{ bot: bot.name, text: helpLine(command) }];
      }
      const all = bots.flatMap((b) => b.commands.map((c) => `!${c.name}`));
      return [{ bot: bots[0]!.name, text: `${from}: no bot here knows !${clip(wanted, 40)}. Commands here: ${all.join(', ')}.` }];
    }
    const lines = bots.map((bot) => ({
      bot: bot.name,
      text: `${bot.name} — ${bot.description} Commands: ${bot.commands.map((c) => `!${c.name}`).join(', ')}.`,
    }));
    lines[lines.length - 1]!.text += ' Say !help <command> for how to use one.';
    return lines.map((l) => ({ bot: l.bot, text: tidyLines(l.text, this.limits)[0] ?? '' }));
  }

  private directHelp(bot: BotEntry, topic: string | undefined): BotReply[] {
    if (topic) {
      const wanted = topic.replace(/^!/, '').toLowerCase();
      const command = findCommand(bot, wanted);
      return [{ bot: bot.name, text: command ? helpLine(command) : `I don't know "${clip(wanted, 40)}". My commands: ${bot.commands.map((c) => c.name).join(', ')}.` }];
    }
    return tidyLines([
      `I'm ${bot.name}: ${bot.description}`,
      ...bot.commands.map(helpLine),
      'Say help <command> for one of them; here you can leave out the !.',
    ], { ...this.limits, maxLines: Math.max(this.limits.maxLines, bot.commands.length + 2) }).map((text) => ({ bot: bot.name, text }));
  }

  private async call(bot: BotEntry, command: BotCommand, from: string, channel: string | undefined, args: CommandArgs): Promise<BotReply[]> {
    const gate = this.admit(from, bot, channel, command.name);
    if (gate) return gate;
    const to = (text: string): BotReply => ({ bot: bot.name, text: channel ? `${from}: ${text}` : text });
    if (tooFewArgs(command, args)) return [to(`usage: ${command.usage}`)];
    const running = this.pending.get(bot.name) ?? 0;
    if (running >= this.limits.maxPending) {
      this.log?.warn(`bot ${bot.name}: ${running} runs still going; refused !${command.name} from ${from}`);
      return [to(`I'm busy; try again in a moment.`)];
    }
    this.log?.debug(`bot ${bot.name}: !${command.name} from ${from}${channel ? ` in ${channel}` : ''}`);
    return this.run(bot, command, from, channel, args, to);
  }

  private async run(bot: BotEntry, command: BotCommand, from: string, channel: string | undefined, args: CommandArgs,
    to: (text: string) => BotReply): Promise<BotReply[]> {
    const controller = new AbortController();
    const limits = this.limits;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMEOUT>((resolve) => { timer = setTimeout(() => resolve(TIMEOUT), limits.timeoutMs); });
    this.pending.set(bot.name, (this.pending.get(bot.name) ?? 0) + 1);
    const done = () => {
      const n = (this.pending.get(bot.name) ?? 1) - 1;
      if (n > 0) this.pending.set(bot.name, n); else this.pending.delete(bot.name);
    };
    const work = Promise.resolve().then(() => command.run({
      bot: bot.name, from, channel, command: command.name, args, usage: command.usage, signal: controller.signal,
    }));
    work.then(done, done);
    try {
      const out = await Promise.race([work, timeout]);
      if (out === TIMEOUT) {
        controller.abort();
        this.log?.warn(`bot ${bot.name}: !${command.name} from ${from} took longer than ${limits.timeoutMs} ms; cut off`);
        return [to(`sorry, !${command.name} took too long.`)];
      }
      return tidyLines(out, limits).map((text) => ({ bot: bot.name, text }));
    } catch (err) {
      if (isBotError(err)) return tidyLines(err.message, limits).slice(0, 1).map(to);
      this.log?.error(`bot ${bot.name}: !${command.name} from ${from} failed`, err);
      return [to(`sorry, !${command.name} failed.`)];
    } finally {
      clearTimeout(timer);
    }
  }

  add(spec: BotSpec, owner: string): () => void {
    const entry: BotEntry = { ...spec, owner };
    const remove = this.table.add(spec.name, owner, entry);
    this.notify('added', entry);
    return () => {
      remove();
      // A reload registers the new version before the old one goes: then the bot stays, as the new version.
      const current = this.get(spec.name);
      if (current) this.notify('added', current); else this.notify('removed', entry);
    };
  }

  get(name: string): BotEntry | undefined { return this.table.get(name); }
  all(): BotEntry[] { return [...this.table.values()]; }

  /** Handler runs of a bot still going (including ones cut off by the time limit that have not ended). */
  running(name: string): number { return this.pending.get(name) ?? 0; }

  /**
   * Follow bots coming and going (the channels plugin seats them). Returns how to stop. `added` may come
   * again for a bot already there (a reloaded plugin's new version, maybe with other channels): treat it
   * as "this is the bot now". `removed` comes only when no version of the bot is left.
   */
  watch(fn: (change: 'added' | 'removed', bot: BotEntry) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private notify(change: 'added' | 'removed', bot: BotEntry): void {
    for (const l of this.listeners) {
      try { l(change, bot); } catch (err) { this.log?.error(`bots: a watcher failed on ${change} ${bot.name}`, err); }
    }
  }
}

const TIMEOUT = Symbol('timeout');

function findCommand(bot: BotEntry, name: string): BotCommand | undefined {
  return bot.commands.find((c) => c.name.toLowerCase() === name);
}
