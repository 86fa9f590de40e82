import { CommandArgs } from './parse.js';
import { Registry } from './registry.js';
import type { Logger } from './logger.js';

/** One invocation of a bot command: `!roll 2d6` in a channel, or `roll 2d6` in a DM to the bot. */
export interface BotCall {
  bot: string;
  /** The user who asked. */
  from: string;
  /** The channel it was asked in; absent in a direct message. */
  channel?: string;
  command: string;
  args: CommandArgs;
  /** Aborted when the call runs out of time. */
  signal: AbortSignal;
}

export interface BotCommand {
  name: string;
  usage: string;
  summary: string;
  /** Returns the bot's answer (one message per string), or nothing. Throw a BotError to answer with its text. */
  run(call: BotCall): string | string[] | void | Promise<string | string[] | void>;
}

export interface BotSpec {
  name: string;
  description: string;
  /** Channels the bot sits in as well as those configured for it. */
  channels?: string[];
  commands: BotCommand[];
}

/** An error whose text the bot says to the user as it is (for example a usage hint). */
export class BotError extends Error {}

export interface BotEntry extends BotSpec { owner: string }

/** One thing a bot says in answer. */
export interface BotReply { bot: string; text: string }

export interface BotLimits {
  /** A handler still running after this is cut off and the user is told. */
  timeoutMs: number;
}

/**
 * The bots plugins registered, and the runner that puts a line to them. The channels plugin seats bots
 * and calls `channelLine` / `directLine`; what the bots answer it posts as ordinary messages from them.
 * The runner never throws: a failing or hanging handler becomes a short answer and a log line.
 */
export class BotRegistry {
  private readonly table = new Registry<BotEntry>('bot');
  private readonly listeners = new Set<(change: 'added' | 'removed', bot: BotEntry) => void>();
  limits: BotLimits = { timeoutMs: 5_000 };
  log?: Logger;

  /** A `!command …` line in a channel where `present` bots sit. Lines without `!` get no answer. */
  async channelLine(from: string, channel: string, text: string, present: readonly string[]): Promise<BotReply[]> {
    if (!text.startsWith('!') || present.length === 0) return [];
    const args = new CommandArgs(text.slice(1));
    const name = args.get(0)?.toLowerCase();
    if (!name) return [];
    for (const botName of present) {
      const bot = this.get(botName);
      const command = bot?.commands.find((c) => c.name.toLowerCase() === name);
      if (bot && command) return this.run(bot, command, from, channel, new CommandArgs(args.rest(1)));
    }
    return [];
  }

  /** A direct message to a bot: a command with or without `!`. */
  async directLine(from: string, botName: string, text: string): Promise<BotReply[]> {
    const bot = this.get(botName);
    if (!bot) return [];
    const args = new CommandArgs(text.replace(/^!/, ''));
    const name = args.get(0)?.toLowerCase() ?? '';
    const command = bot.commands.find((c) => c.name.toLowerCase() === name);
    if (!command) return [{ bot: bot.name, text: `I don't know "${name}". I know: ${bot.commands.map((c) => c.name).join(', ')}.` }];
    return this.run(bot, command, from, undefined, new CommandArgs(args.rest(1)));
  }

  private async run(bot: BotEntry, command: BotCommand, from: string, channel: string | undefined, args: CommandArgs): Promise<BotReply[]> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), this.limits.timeoutMs); });
    try {
      const out = await Promise.race([
        Promise.resolve().then(() => command.run({ bot: bot.name, from, channel, command: command.name, args, signal: controller.signal })),
        timeout,
      ]);
      if (out === 'timeout') {
        controller.abort();
        this.log?.warn(`bot ${bot.name}: !${command.name} from ${from} took longer than ${this.limits.timeoutMs} ms; cut off`);
        return [{ bot: bot.name, text: `${from}: sorry, !${command.name} took too long.` }];
      }
      const lines = out === undefined ? [] : typeof out === 'string' ? [out] : out;
      return lines.filter((l) => l !== '').map((text) => ({ bot: bot.name, text }));
    } catch (err) {
      if (err instanceof BotError) return [{ bot: bot.name, text: err.message }];
      this.log?.error(`bot ${bot.name}: !${command.name} from ${from} failed`, err);
      return [{ bot: bot.name, text: `${from}: sorry, !${command.name} failed.` }];
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
      this.notify('removed', entry);
    };
  }

  get(name: string): BotEntry | undefined { return this.table.get(name); }
  all(): BotEntry[] { return [...this.table.values()]; }

  /** Follow bots coming and going (the channels plugin seats them). Returns how to stop. */
  watch(fn: (change: 'added' | 'removed', bot: BotEntry) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private notify(change: 'added' | 'removed', bot: BotEntry): void {
    for (const l of this.listeners) l(change, bot);
  }
}
