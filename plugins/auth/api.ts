import type { Role, Session } from '../../core/index.js';

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

/** What the auth plugin offers other plugins (ctx.use('auth')) and the CLI. */
export interface AuthService {
  /** Look up an account by name, without regard to case. */
  findUser(name: string): Promise<Account | undefined>;
  /** Create an account (CLI, admins, importers). Throws WhiskrError NAME_TAKEN / INVALID_NAME / WEAK_PASSWORD. */
  createUser(name: string, password: string, role?: Role): Promise<Account>;
  setRole(name: string, role: Role): Promise<Account>;
  listUsers(): Promise<Account[]>;
  /** The account a session is logged in as. */
  sessionUser(session: Session): Account | undefined;
}

declare module '../../core/plugin.js' {
  interface Services { auth: AuthService }
}
