import { CommandArgs, parseLine } from './parse.js';
import { WhiskrError, isWhiskrError } from './errors.js';
import { isDatabaseUnavailable } from './database.js';
import { event, type ServerEvent } from './events.js';
import { tooFewArgs, type CommandContext, type CommandSpec } from './commands.js';
import type { Session, SessionUser } from './session.js';
import type { Server } from './server.js';
import type { Logger } from './logger.js';

/**
 * Runs one client line: parses it, checks the command's preconditions once (login, role, arguments),
 * calls the handler behind a firewall, and makes sure the sender gets exactly one final reply.
 */
export async function dispatchLine(server: Server, session: Session, line: string, sink?: ServerEvent[]): Promise<void> {
  const parsed = parseLine(line);
  if (parsed.kind === 'blank') return;

  if (parsed.kind === 'text') {
    const handler = server.commands.textHandler;
    const ctx = new Context(server.log, session, new CommandArgs(parsed.text), 'msg', sink);
    await ctx.execute(async () => {
      if (!session.user) throw new WhiskrError('NOT_LOGGED_IN', 'Log in first: /login <name> <password> or /register <name> <password>.');
      if (!handler) throw new WhiskrError('NO_TARGET', 'No plugin takes messages on this server.');
      return handler(ctx, parsed.text);
    }, false);
    return;
  }

  const spec = server.commands.find(parsed.name);
  const ctx = new Context(server.log, session, parsed.args, spec?.name ?? parsed.name, sink);
  await ctx.execute(async () => {
    if (!spec) throw new WhiskrError('UNKNOWN_COMMAND', `Unknown command /${parsed.name}; /help lists the commands.`);
    checkAccess(server, spec, session);
    if (tooFewArgs(spec, parsed.args)) throw new WhiskrError('BAD_ARGUMENTS', `Usage: ${spec.usage}`);
    return spec.run(ctx);
  }, true);
}

function checkAccess(server: Server, spec: CommandSpec, session: Session): void {
  if (spec.access === 'anyone') return;
  if (!session.user) throw new WhiskrError('NOT_LOGGED_IN', `Log in first to use /${spec.name}.`);
  if (spec.access === 'admin' && session.user.role !== 'admin') {
    server.log.warn(`${session.user.name} (${session.address}) tried admin command /${spec.name}`);
    throw new WhiskrError('NOT_ALLOWED', `/${spec.name} is for admins.`);
  }
}

class Context implements CommandContext {
  private replied = false;
  /** `sink`: the replies are collected there for the caller (ctx.sessions.run) instead of sent. */
  constructor(private readonly log: Logger, readonly session: Session, readonly args: CommandArgs, readonly command: string, private readonly sink?: ServerEvent[]) {}

  get user(): SessionUser {
    if (!this.session.user) throw new WhiskrError('NOT_LOGGED_IN', 'Log in first.');
    return this.session.user;
  }

  // Methods, not arrow properties: one context is made per line, and an arrow property would be a new
  // closure each time (named at run time under tsx). The `this` type in CommandContext keeps them attached.
  reply(e: ServerEvent): void {
    if (this.replied) throw new Error(`/${this.command} replied twice`);
    this.replied = true;
    this.out(e);
  }

  send(e: ServerEvent): void {
    this.out(e);
  }

  private out(e: ServerEvent): void {
    if (this.sink) this.sink.push(e); else this.session.send(e);
  }

  async execute(run: () => Promise<ServerEvent | void> | ServerEvent | void, isCommand: boolean): Promise<void> {
    try {
      const result = await run();
      if (this.replied) return;
      this.reply(result ?? event('ok', { command: this.command, text: 'OK.' }));
    } catch (err) {
      const exposed = isWhiskrError(err);
      // A stalled or unreachable database is not a bug: a warning, and a sentence that says what happened.
      const unavailable = !exposed && isDatabaseUnavailable(err);
      if (unavailable) this.log.warn(`/${this.command} from session ${this.session.id}: the database is not answering (${(err as Error).message.split('\n')[0]})`);
      else if (!exposed) this.log.error(`/${this.command} from session ${this.session.id} failed`, err);
      if (this.replied) return;
      this.replied = true;
      this.out(exposed
        ? event('error', { code: err.code, text: err.message, ...(isCommand ? { command: this.command } : {}) })
        : event('error', { code: 'INTERNAL', text: unavailable ? 'The database is not answering right now; try again in a moment.' : 'Something went wrong on the server; it has been logged.', ...(isCommand ? { command: this.command } : {}) }));
    }
  }
}
