import type { ChatMessage } from './events.js';
import type { Session, SessionUser } from './session.js';
import type { Logger } from './logger.js';
import { isWhiskrError } from './errors.js';
import { isDatabaseUnavailable } from './database.js';

/**
 * Why a session stopped being logged in. The core lists its own; a plugin that ends logins adds its reasons
 * by declaration merging (admin: kicked, banned):
 *   declare module '../../core/hooks.js' { interface LogoutReasons { kicked: true } }
 */
export interface LogoutReasons { logout: true; disconnect: true; shutdown: true }
export type LogoutReason = keyof LogoutReasons;

export interface LogoutInfo {
  /** No session of the user is left. */
  last: boolean;
  reason: LogoutReason;
  user: SessionUser;
  /** What the user said on leaving (/quit), for the plugins that pass it on. */
  quitText?: string;
}

/**
 * Every hook in the server, with its arguments. Plugins add their own by declaration merging.
 * `check` hooks may throw a WhiskrError to refuse; the others are notifications.
 */
export interface HookMap {
  /** check: before a login is accepted (bans refuse it here). */
  'login.check': (user: SessionUser, session: Session) => void | Promise<void>;
  /** After the login reply: auto-join, offline messages. `first`: the user's first open session. */
  'user.login': (session: Session, info: { first: boolean }) => void | Promise<void>;
  /** After a session stopped being logged in. `last`: no session of the user is left. */
  'user.logout': (session: Session, info: LogoutInfo) => void | Promise<void>;
  'session.open': (session: Session) => void;
  'session.close': (session: Session) => void;
  /** check, synchronous: before a message is delivered (mutes refuse it here). `session` is absent for bots. */
  'message.check': (message: ChatMessage, session: Session | undefined) => void;
  /** A message was delivered; history stores it. Synchronous: it is on the hot path. */
  'message.sent': (message: ChatMessage) => void;
  /**
   * A cluster: messages another node sent shortly before it was lost (killed), which it may not have written:
   * channel messages (from the channels plugin) and direct messages to or from this node's users (from the
   * core). History writes them again; its insert ignores an id already stored, so nothing is doubled.
   */
  'message.rescued': (messages: ChatMessage[]) => void;
  /** The server is stopping: write what is pending. Awaited, before the database closes. */
  'server.shutdown': () => void | Promise<void>;
}

export type HookName = keyof HookMap;
type Listener<K extends HookName> = { owner: string; fn: HookMap[K] };

export class Hooks {
  private readonly listeners = new Map<HookName, Listener<HookName>[]>();
  constructor(private readonly log: Logger) {}

  on<K extends HookName>(name: K, owner: string, fn: HookMap[K]): () => void {
    const list = (this.listeners.get(name) ?? []) as Listener<K>[];
    const entry: Listener<K> = { owner, fn };
    // Copy on write, so a listener removed while the hook runs does not skip its neighbour.
    this.listeners.set(name, [...list, entry] as Listener<HookName>[]);
    return () => {
      const now = (this.listeners.get(name) ?? []) as Listener<K>[];
      this.listeners.set(name, now.filter((e) => e !== entry) as Listener<HookName>[]);
    };
  }

  private list<K extends HookName>(name: K): Listener<K>[] {
    return (this.listeners.get(name) ?? []) as Listener<K>[];
  }

  /** A stalled or unreachable database is an outage, not a bug: a warning without the stack. */
  private failed(owner: string, name: HookName, err: unknown): void {
    if (isDatabaseUnavailable(err)) this.log.warn(`${owner}: hook ${name} failed, the database is not answering: ${(err as Error).message.split('\n')[0]}`);
    else this.log.error(`${owner}: hook ${name} failed`, err);
  }

  /** Notify every listener; one listener's failure is logged and never stops the others. */
  emit<K extends HookName>(name: K, ...args: Parameters<HookMap[K]>): void {
    for (const l of this.list(name)) {
      try {
        const out = (l.fn as (...a: unknown[]) => unknown)(...args);
        if (out instanceof Promise) out.catch((err) => this.failed(l.owner, name, err));
      } catch (err) {
        this.failed(l.owner, name, err);
      }
    }
  }

  /** Run every listener in turn and wait for each; failures are logged, never thrown. */
  async settle<K extends HookName>(name: K, ...args: Parameters<HookMap[K]>): Promise<void> {
    for (const l of this.list(name)) {
      try {
        await (l.fn as (...a: unknown[]) => unknown)(...args);
      } catch (err) {
        this.failed(l.owner, name, err);
      }
    }
  }

  /** Run a check hook: a listener that throws refuses, and its error reaches the caller. */
  async check<K extends HookName>(name: K, ...args: Parameters<HookMap[K]>): Promise<void> {
    for (const l of this.list(name)) await (l.fn as (...a: unknown[]) => unknown)(...args);
  }

  /** A synchronous check for the hot path. */
  checkSync<K extends HookName>(name: K, ...args: Parameters<HookMap[K]>): void {
    for (const l of this.list(name)) {
      try {
        (l.fn as (...a: unknown[]) => unknown)(...args);
      } catch (err) {
        if (isWhiskrError(err)) throw err;
        this.failed(l.owner, name, err);
      }
    }
  }
}
