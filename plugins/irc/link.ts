import { inert, isValidUserName, nameKey, type PluginContext, type ServerEvent, type Session } from '../../core/index.js';
import type { IrcState } from './api.js';
import type { IrcConfig } from './config.js';
import { mask, NICK } from './format.js';
import { fitLine, ircLine } from './message.js';

/**
 * What the IRC commands share: writing lines to a session, running Whiskr lines for it, its state. One per
 * plugin version; the per-connection state lives on the session (session.data.irc).
 */
export class Link {
  constructor(readonly ctx: PluginContext<IrcConfig>, readonly version: string) {}

  get server(): string { return this.ctx.config.serverName; }
  get host(): string { return this.ctx.config.userHost; }

  state(session: Session): IrcState {
    return (session.data.irc ??= { caps: new Set(), tagMask: 0, hold: true });
  }

  nick(session: Session): string { return session.data.irc?.nick ?? '*'; }

  mask(name: string): string { return mask(name, this.host); }

  /** Raw lines to a session, each fitted to 512 bytes (no welcome hold: for replies to its own commands). */
  write(session: Session, ...lines: string[]): void {
    if (lines.length) session.write(lines.flatMap(fitLine).join('\r\n') + '\r\n');
  }

  /** A numeric reply to the session. */
  numeric(session: Session, code: string, ...params: string[]): void {
    this.write(session, ircLine(this.server, code, [this.nick(session), ...params]));
  }

  /** A NOTICE from the server, or from a service nick. */
  notice(session: Session, text: string, from = this.server): void {
    const lines = text.split('\n').filter((l) => l).map((l) => ircLine(from, 'NOTICE', [this.nick(session), inert(l)]));
    this.write(session, ...lines);
  }

  /** Run a Whiskr line for the session; the replies come back to be rendered. */
  run(session: Session, line: string): Promise<ServerEvent[]> { return this.ctx.sessions.run(session, line); }

  /** Run a Whiskr line whose replies go to the session in the IRC format, in order with what it sends. */
  async send(session: Session, line: string): Promise<void> { await this.ctx.sessions.run(session, line, { send: true }); }

  /** Replies as NOTICE lines of their text rendering (commands to the Whiskr service nick, WHISKR). */
  relay(session: Session, replies: ServerEvent[], from: string): void {
    for (const e of replies) this.notice(session, this.ctx.output.encode(e, 'text'), from);
  }

  /** The error among replies, if any. */
  error(replies: ServerEvent[]): Extract<ServerEvent, { type: 'error' }> | undefined {
    return replies.find((e): e is Extract<ServerEvent, { type: 'error' }> => e.type === 'error');
  }

  /** Same name in Whiskr's eyes (case-insensitive; IRC's ascii casemapping is the same on valid names). */
  same(a: string, b: string): boolean { return nameKey(a) === nameKey(b); }
}

/** A nick a client may ask for before logging in; once logged in, the nick is the account name. */
export function acceptableNick(nick: string): boolean {
  return isValidUserName(nick);
}

export { NICK };
