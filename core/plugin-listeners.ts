import type { EventOf } from './events.js';
import type { InputItem } from './input.js';
import type { Session } from './session.js';

/**
 * A listener a plugin opens (ctx.listen) for a wire protocol of its own (the IRC plugin's). The core still
 * owns what it owns on its own port: admission (connection caps, shutdown), sessions and their logins,
 * the login timeout, flood control and the input queue, the output bound and coalescing, bans (login
 * checks). The plugin only turns lines into actions and events into its format (ctx.format).
 */
export interface ListenSpec {
  /** The port (0: any free one). */
  port: number;
  /** The address (default: the server's server.host). */
  host?: string;
  /** With server.tls enabled, also listen with TLS, with the server's certificate, on this port (0: any). */
  tlsPort?: number;
  /** The wire format of its sessions (a name registered with ctx.format). */
  format: string;
  /** The longest line accepted, in bytes, without its LF (default: server.maxLineBytes). */
  maxLineBytes?: number;
  /** A session has opened on it: greet it (the line protocol's welcome is not sent here). */
  open?(session: Session): void;
  /**
   * Run one line of a session (or its framing error), in the session's input queue: after flood control,
   * one at a time and in order, as the line protocol's lines are.
   */
  input(session: Session, item: InputItem): Promise<void>;
  /**
   * A line found the session's input queue full and was refused (flood control): answer it, as its own
   * reply (with the request's label, say). Without it the refusal is sent as any event is.
   */
  refused?(session: Session, item: InputItem, refusal: EventOf<'error'>): void;
  /** What a connection refused at admission (connection caps, shutting down) is told before it is closed. */
  refusal?(text: string): string;
}

/** A plugin's listener once registered. */
export interface Listening {
  /** The port it is bound to (`tls`: the TLS one); 0 while not listening (a CLI task boots without listening). */
  port(tls?: boolean): number;
}

/** The core's record of one plugin listener; a reload of the plugin hands it the new spec, the socket stays. */
export interface ListenerEntry {
  spec: ListenSpec;
}
