/** The IRC listener's state on a session, and its service (the ports, for tests and /stats). */

/** The IRCv3 capabilities the listener offers (CAP LS), each implemented. */
export const CAPABILITIES = [
  'sasl', 'server-time', 'message-tags', 'echo-message', 'account-tag', 'away-notify', 'extended-join',
  // One prefix (@, Whiskr admins) is all there is, so NAMES and WHO always list every prefix a user has;
  // capabilities never change while a client is connected, so there is nothing to notify of.
  'multi-prefix', 'cap-notify', 'batch', 'draft/chathistory',
  // labeled.ts; with batch only
  'labeled-response',
  'invite-notify', 'userhost-in-names',
] as const;
export type Capability = typeof CAPABILITIES[number];

export interface IrcState {
  /** The nick the client asked for, then the account name once logged in. */
  nick?: string;
  /** USER was sent. */
  user?: boolean;
  /** PASS, until registration uses it. */
  pass?: string;
  /** CAP LS/REQ began and CAP END has not come: registration waits. */
  negotiating?: boolean;
  caps: Set<Capability>;
  /** The tag capabilities as a number (format.ts tagMask), updated with `caps`. */
  tagMask: number;
  /** SASL PLAIN in progress (AUTHENTICATE PLAIN seen). */
  sasl?: boolean;
  /** The welcome burst (001…) was sent. */
  welcomed?: boolean;
  /**
   * Events wait rather than go out (before the welcome; during a login after it, so the NICK change
   * comes before the auto-joins). `held` keeps them, in order.
   */
  hold: boolean;
  /** The user (nameKey) whose QUIT this session was shown last: one QUIT for the parts of one logout. */
  lastQuit?: string;
  /** The event being sent is a further part of that logout (format.ts noteQuit). */
  quitRepeat?: boolean;
  held?: string[];
  /** SASL PLAIN's base64, gathered over 400-byte chunks. */
  saslData?: string;
}

export interface IrcService {
  /** The port the plain listener is bound to (0 before the server listens), or the TLS one. */
  port(tls?: boolean): number;
}

declare module '../../core/session.js' {
  interface SessionData { irc?: IrcState }
}

declare module '../../core/plugin.js' {
  interface Services { irc: IrcService }
}
