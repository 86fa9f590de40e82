import type { ServerEvent } from './events.js';
import type { Format } from './render.js';
import type { HookMap, HookName, LogoutReason } from './hooks.js';
import type { Session, SessionUser } from './session.js';
import type { PluginRecord } from './plugin-host.js';
import type { RehashResult } from './server.js';
import type { ReplyFilter } from './reply-scope.js';

export type { Delivery } from './delivery.js';
export type { Cluster } from './cluster.js';
export type { ReplyFilter } from './reply-scope.js';

/**
 * What a plugin may do beyond registering things: narrow capabilities on its context, each an interface
 * the core could implement otherwise (one process today; several on a message bus, or a second wire
 * protocol, later) without touching a plugin. core/server.ts implements them over its own parts.
 */

export interface CloseOptions { flush?: boolean; logout?: LogoutReason; quitText?: string }

/** The open sessions and the users logged in on them. */
export interface Sessions {
  /** Open sessions of a user (any case); empty when offline. */
  of(name: string): ReadonlySet<Session>;
  isOnline(name: string): boolean;
  /** Users with at least one open session. */
  onlineUsers(): SessionUser[];
  /** Every open session, logged in or not. */
  all(): Iterable<Session>;
  /** How many sessions are open. */
  readonly count: number;
  /**
   * End a session: its queued input is dropped, its output flushed unless `flush: false`, and the user's
   * logout hooks run (with `logout` as the reason, else 'disconnect', and `quitText` passed on to them).
   */
  close(session: Session, reason: string, opts?: CloseOptions): void;
  /** Send an event to every session of a user, then close them (kick, ban). Returns how many there were. */
  disconnectUser(name: string, e: ServerEvent, reason: LogoutReason): number;
  /**
   * Log a session in: the login checks run (a ban refuses by throwing), the session joins the user's
   * others, `reply` sends the login reply, then the login hooks run.
   */
  login(session: Session, user: SessionUser, reply: () => void): Promise<void>;
  /** End a session's login; it stays connected, anonymous. */
  logout(session: Session, reason: LogoutReason): Promise<void>;
  /**
   * Run a Whiskr line (`/join #a`, a plain line) for a session as if it had sent it: the same preconditions,
   * firewall and single final reply, but the replies (the reply and anything the command sent the session)
   * are handed back, in order, instead of sent, so a plugin with its own protocol (IRC) renders them.
   * Events other sessions get, and those sent later, travel as usual. With `send: true` the replies go
   * to the session as usual, in order with what the command sends it directly, and none are returned.
   */
  run(session: Session, line: string, opts?: { send?: boolean }): Promise<ServerEvent[]>;
  /**
   * Run one of the session's commands with its reply told apart: what is written to the session from within
   * `run` while it runs (what it sends directly, the replies of the lines it runs, a join's replay, the login
   * hooks those settle) goes through `filter.write` first, and what that returns is written instead ('' for
   * nothing). What reaches the session meanwhile from elsewhere (another user's message) and what is written
   * once `run` is done go out as they are. Request labels: IRCv3 labeled-response wraps a reply with it.
   */
  reply(session: Session, filter: ReplyFilter, run: () => Promise<void>): Promise<void>;
}

/** The bound on what a session may be sent, and what an event costs, so a plugin can page a large reply. */
export interface Output {
  /** Unread output past which a session is taken to be not reading, and closed (server.maxOutputBytes; a rehash changes it). */
  readonly maxBytes: number;
  /** The bytes an event takes in a format, as a session is sent it. */
  bytes(event: ServerEvent, format: Format): number;
  /** An event encoded in a format (its text rendering, say, for a protocol that relays it as a notice). */
  encode(event: ServerEvent, format: Format): string;
}

/** The settings the core opened ctx.db with, for a plugin that needs a connection of its own (they need a restart to change). */
export interface DatabaseSettings {
  readonly url: string;
  readonly queryTimeoutSeconds: number;
}

/** Message ids: unique on this server and sortable in send order (see core/ids.ts). */
export interface MessageIds {
  next(): string;
  /** Continue after an id already issued (the newest stored one), so a restart never goes back. */
  seed(id: string | undefined): void;
}

/** Hooks the core fires itself; a plugin listens to them but may not fire them. */
export type CoreHookName = 'login.check' | 'user.login' | 'user.logout' | 'session.open' | 'session.close' | 'server.shutdown';
/** Hooks a plugin may fire: every other one, including those plugins declare by merging into HookMap. */
export type PluginHookName = Exclude<HookName, CoreHookName>;

/** Notify every listener of a hook; one listener's failure is logged and never stops the others. */
export type EmitHook = <K extends PluginHookName>(name: K, ...args: Parameters<HookMap[K]>) => void;
/** Run a synchronous check hook: the first listener that throws a WhiskrError refuses, and it reaches the caller. */
export type CheckHook = <K extends PluginHookName>(name: K, ...args: Parameters<HookMap[K]>) => void;
/** Run every listener of a hook in turn and wait for each; failures are logged, never thrown. */
export type SettleHook = <K extends PluginHookName>(name: K, ...args: Parameters<HookMap[K]>) => Promise<void>;

/** A plugin as the host reports it. */
export type PluginInfo = Pick<PluginRecord, 'key' | 'name' | 'version' | 'status' | 'error'>;

/**
 * The privileged handle: control over the server itself. Only a plugin whose definition says
 * `privileged: true` gets it (as ctx.host); such a plugin can load, unload and reload any plugin, re-read
 * the config file and stop the server, so it must be trusted as much as the core.
 */
export interface Host {
  readonly plugins: {
    list(): PluginInfo[];
    /** Load (or, when loaded, reload) a plugin by name or config key; throws PluginError, the running version stays. */
    load(key: string, options?: Record<string, unknown>): Promise<PluginInfo>;
    reload(key: string, options?: Record<string, unknown>): Promise<PluginInfo>;
    unload(key: string): Promise<void>;
  };
  /** The config file's `plugins` section (as of the start or the last rehash): options by key. */
  readonly configuredPlugins: Readonly<Record<string, Record<string, unknown>>>;
  /** Re-read the config file; load, unload or reload plugins to match. */
  rehash(): Promise<RehashResult>;
  /** Stop the server: tell every session, close them, unload the plugins. */
  shutdown(text?: string): Promise<void>;
  /** When the server started, on its clock (ms). */
  readonly startedAt: number;
}
