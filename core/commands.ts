import type { CommandArgs } from './parse.js';
import type { Session, SessionUser } from './session.js';
import type { ServerEvent, CommandHelp } from './events.js';
import { Registry } from './registry.js';

/** Who may run a command: anyone (also before login), a logged-in user, or an admin. */
export type Access = 'anyone' | 'user' | 'admin';

export interface CommandContext {
  readonly session: Session;
  /** The logged-in user (commands with access `user` or `admin` always have one). */
  readonly user: SessionUser;
  readonly args: CommandArgs;
  /** The command's name as registered (an alias resolves to it). */
  readonly command: string;
  /** Send the final reply now, so that events sent afterwards follow it. (Call it on the context: ctx.reply.) */
  reply(this: CommandContext, event: ServerEvent): void;
  /** Send an event to the sender (after the reply, or before it for progress). (Call it on the context.) */
  send(this: CommandContext, event: ServerEvent): void;
}

/**
 * What every command declares, a `/` command or a bot's `!` command: its help (helpLine, helpColumns) and
 * the argument check (tooFewArgs) come from it, the same for both.
 */
export interface CommandInfo {
  name: string;
  /** e.g. `/join <#channel>` or `!roll [dice]`; shown by help and when too few arguments are given. */
  usage: string;
  summary: string;
  /** Fewer arguments than this is refused with the usage, before the handler runs. */
  minArgs?: number;
}

/** Whether a command is given fewer arguments than it needs (checked once, before its handler runs). */
export function tooFewArgs(spec: CommandInfo, args: { readonly length: number }): boolean {
  return args.length < (spec.minArgs ?? 0);
}

export interface CommandSpec extends CommandInfo {
  aliases?: string[];
  access: Access;
  /**
   * Do the work; throw a WhiskrError to refuse. Return the reply event, or nothing for `ok`
   * (unless ctx.reply was called).
   */
  run(ctx: CommandContext): ServerEvent | void | Promise<ServerEvent | void>;
}

/** Type-checks a command spec where it is written. */
export function defineCommand(spec: CommandSpec): CommandSpec {
  return spec;
}

/** A handler for lines that are not commands: a message to the session's current target. */
export type TextHandler = (ctx: CommandContext, text: string) => ServerEvent | void | Promise<ServerEvent | void>;

export class CommandRegistry {
  private readonly byName = new Registry<CommandSpec>('command');
  private readonly aliases = new Registry<string>('command alias');
  private readonly textHandlers: { owner: string; fn: TextHandler }[] = [];

  add(spec: CommandSpec, owner: string): () => void {
    const undo: (() => void)[] = [];
    try {
      undo.push(this.byName.add(spec.name, owner, spec));
      for (const a of spec.aliases ?? []) undo.push(this.aliases.add(a, owner, spec.name));
    } catch (err) {
      for (const u of undo.reverse()) u();
      throw err;
    }
    return () => { for (const u of undo.reverse()) u(); };
  }

  find(name: string): CommandSpec | undefined {
    return this.byName.get(name) ?? this.byName.get(this.aliases.get(name) ?? '');
  }

  all(): CommandSpec[] {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  setTextHandler(fn: TextHandler, owner: string): () => void {
    const entry = { owner, fn };
    this.textHandlers.push(entry);
    return () => {
      const i = this.textHandlers.indexOf(entry);
      if (i >= 0) this.textHandlers.splice(i, 1);
    };
  }

  get textHandler(): TextHandler | undefined {
    return this.textHandlers[this.textHandlers.length - 1]?.fn;
  }
}

export function helpOf(spec: CommandSpec): CommandHelp {
  return { name: spec.name, usage: spec.usage, summary: spec.summary };
}
