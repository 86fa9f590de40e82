import type { CommandArgs } from './parse.js';
import { Registry } from './registry.js';

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

export class BotRegistry {
  private readonly table = new Registry<BotEntry>('bot');
  private readonly listeners = new Set<(change: 'added' | 'removed', bot: BotEntry) => void>();

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
