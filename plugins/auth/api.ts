import type { Role, Session } from '../../core/index.js';

/** The events the auth plugin sends (json field names), rendered as text by render.ts. */
export interface AuthEvents {
  /** The reply to /login, /register and /resume; `token` and its expiry when one was asked for (+token). */
  login: { user: string; role: Role; token?: string; tokenExpires?: string };
  /** The reply to /whoami; `channels` and `target` come from the channels plugin (empty and null without it). */
  whoami: { user: string; role: Role; channels: string[]; target: string | null };
}

declare module '../../core/events.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-interface
  interface EventMap extends AuthEvents {}
}

/** An account as other plugins see it (never its password). */
export interface Account {
  id: number;
  name: string;
  role: Role;
  /** ms since the epoch */
  createdAt: number;
  /** When the user was last connected (ms since the epoch), null if never. */
  lastSeen: number | null;
}

/** A password imported from the original Whiskr: unsalted SHA-256 hex, or plaintext. */
export interface LegacyPassword { kind: 'sha256' | 'plain'; hash: string }

/** What the auth plugin offers other plugins (ctx.use('auth')) and the CLI. */
export interface AuthService {
  /** Look up an account by name, without regard to case. */
  findUser(name: string): Promise<Account | undefined>;
  /** Create an account (CLI, admins, importers). Throws WhiskrError NAME_TAKEN / INVALID_NAME / WEAK_PASSWORD. */
  createUser(name: string, password: string, role?: Role): Promise<Account>;
  /** Change an account's role (also for its open sessions). Throws WhiskrError NO_SUCH_USER. */
  setRole(name: string, role: Role): Promise<Account>;
  listUsers(): Promise<Account[]>;
  /** The account a session is logged in as. */
  sessionUser(session: Session): Account | undefined;
  /**
   * An account from the original Whiskr, which logs in with its old password once (then re-hashed with
   * scrypt). A name that exists already is left as it is ('exists'). Throws WhiskrError INVALID_NAME.
   */
  importLegacyAccount(name: string, role: Role, legacy: LegacyPassword): Promise<'created' | 'exists'>;
  /**
   * Keep names from being registered while they are in use otherwise (the bots'): `taken` says whether a
   * name is; returns how to stop. A refused name is NAME_TAKEN, "reserved", as the configured reserved names.
   */
  reserveNames(taken: (name: string) => boolean): () => void;
  /**
   * Say where a user is, for /whoami: the channels plugin registers this (ctx.attach), so auth never
   * uses the channels plugin (which depends on auth). Returns how to stop; without it /whoami says none.
   */
  tellWhereabouts(where: Whereabouts): () => void;
}

/** A user's channels and a session's current target, as /whoami shows them. */
export type Whereabouts = (user: string, session: Session) => { channels: string[]; target: string | null };

declare module '../../core/plugin.js' {
  interface Services { auth: AuthService }
}

declare module '../../core/session.js' {
  interface SessionData {
    /** Set by the auth plugin while the session is logged in. */
    auth?: {
      account: Account;
      /** SHA-256 of the reconnect token the session got or used (revoked by /logout). */
      token?: string;
    };
  }
}
