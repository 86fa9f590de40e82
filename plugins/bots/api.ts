import type { CommandArgs, CommandInfo } from '../../core/index.js';
import type { BotDirectory } from '../channels/api.js';

/**
 * The bots plugin's service: the bot runner. A plugin with a bot registers it here, owned by its own
 * scope: `ctx.attach('bots', (bots) => bots.add(spec, ctx.name))` (the bot goes when that plugin is
 * unloaded, and follows a reload of this one). The channels plugin is handed the runner as its bot directory.
 */
export interface BotsService extends BotDirectory {
  /** Register a bot; returns how to remove it. A name taken by another owner is refused (a reloaded owner's new version shadows its old one). */
  add(spec: BotSpec, owner: string): () => void;
  get(name: string): BotEntry | undefined;
  all(): BotEntry[];
}

declare module '../../core/plugin.js' {
  interface Services { bots: BotsService }
}

/** One invocation of a bot command: `!roll 2d6` in a channel, or `roll 2d6` in a DM to the bot. */
export interface BotCall {
  bot: string;
  /** The user who asked. */
  from: string;
  /** The channel it was asked in; absent in a direct message. */
  channel?: string;
  command: string;
  /** The arguments after the command name (`args.rest(0)` is the whole rest of the line). */
  args: CommandArgs;
  /** The command's usage, for an error message (`throw new BotError(`Usage: ${call.usage}`)`). */
  usage: string;
  /** Aborted when the call runs out of time. */
  signal: AbortSignal;
}

/**
 * A bot's command: the spec of any command (usage e.g. `!roll [dice] [label…]`, shown by `!help roll`; with
 * fewer than `minArgs` arguments the bot answers with the usage, without running the handler).
 */
export interface BotCommand extends CommandInfo {
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

/** Marks a BotError; a symbol of the global registry, so a bot loaded by path (another copy of this file) is recognised. */
const BOT_ERROR = Symbol.for('whiskr.bots.error');

/** An error whose text the bot says to the user as it is (for example a usage hint). */
export class BotError extends Error {
  readonly [BOT_ERROR] = true;
}

export function isBotError(err: unknown): err is Error {
  return err instanceof Error && (err as unknown as Record<symbol, unknown>)[BOT_ERROR] === true;
}

export interface BotEntry extends BotSpec { owner: string }

/** What the bots plugin stores, as other code sees it. */


/** A reminder as stored (times in ms since the epoch). */
export interface Reminder {
  id: number;
  user: string;
  /** Where it was asked; null for a DM to the bot. */
  channel: string | null;
  text: string;
  createdAt: number;
  dueAt: number;
  attempts: number;
}

/** A poll as stored, with its vote counts per option. */
export interface Poll {
  id: number;
  channel: string;
  question: string;
  options: string[];
  creator: string;
  createdAt: number;
  /** null while open. */
  closedAt: number | null;
  closedBy: string | null;
  /** Votes per option, in the options' order. */
  counts: number[];
}
