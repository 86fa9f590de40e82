import { nameKey, type Knex, type Role } from '../../core/index.js';
import type { Account } from './api.js';
import type { PasswordHash } from './password.js';

const ACCOUNTS = 'auth_accounts';
const TOKENS = 'auth_tokens';

interface AccountRow {
  id: number; name: string; name_key: string; role: string;
  pw_hash: string | null; pw_salt: string | null; pw_n: number | null; pw_r: number | null; pw_p: number | null;
  legacy_kind: string | null; legacy_hash: string | null;
  created_at: number | string; last_seen: number | string | null;
}

/** An account with what is needed to check its password (never leaves the plugin). */
export interface StoredAccount extends Account {
  password?: PasswordHash;
  legacy?: { kind: string; hash: string };
}

const num = (v: number | string): number => (typeof v === 'string' ? Number(v) : v);

function toAccount(row: AccountRow): StoredAccount {
  const a: StoredAccount = {
    id: row.id, name: row.name, role: row.role === 'admin' ? 'admin' : 'user',
    createdAt: num(row.created_at), lastSeen: row.last_seen === null ? null : num(row.last_seen),
  };
  if (row.pw_hash && row.pw_salt && row.pw_n && row.pw_r && row.pw_p) {
    a.password = { hash: row.pw_hash, salt: row.pw_salt, N: row.pw_n, r: row.pw_r, p: row.pw_p };
  }
  if (row.legacy_kind && row.legacy_hash !== null) a.legacy = { kind: row.legacy_kind, hash: row.legacy_hash };
  return a;
}

/** Only the public fields. */
export function publicAccount(stored: StoredAccount): Account {
  return { id: stored.id, name: stored.name, role: stored.role, createdAt: stored.createdAt, lastSeen: stored.lastSeen };
}

const pwColumns = (hash: PasswordHash) => ({ pw_hash: hash.hash, pw_salt: hash.salt, pw_n: hash.N, pw_r: hash.r, pw_p: hash.p });

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; message?: string };
  return e.code === 'ER_DUP_ENTRY' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/i.test(e.message ?? '');
}

/** Accounts per lastSeen statement (the ids and times are bound parameters: 3 per account). */
const SEEN_CHUNK = 300;

/**
 * All of the auth plugin's SQL. lastSeen is written in batches (`touch` notes it, `flushSeen` writes
 * what was noted in one statement): a statement per login and per logout was a third of a login's
 * database time in a reconnect wave. Reads see the noted value before it is written.
 */
export class AuthStore {
  /** lastSeen noted and not yet written, by account id. */
  private readonly seen = new Map<number, number>();

  constructor(private readonly db: Knex) {}

  /** The row as an account, with a lastSeen noted since it was read. */
  private account(row: AccountRow): StoredAccount {
    const a = toAccount(row);
    const noted = this.seen.get(a.id);
    if (noted !== undefined && (a.lastSeen === null || noted > a.lastSeen)) a.lastSeen = noted;
    return a;
  }

  async find(name: string): Promise<StoredAccount | undefined> {
    const row = await this.db<AccountRow>(ACCOUNTS).where('name_key', nameKey(name)).first();
    return row ? this.account(row) : undefined;
  }

  async byId(id: number): Promise<StoredAccount | undefined> {
    const row = await this.db<AccountRow>(ACCOUNTS).where('id', id).first();
    return row ? this.account(row) : undefined;
  }

  async list(): Promise<StoredAccount[]> {
    const rows = await this.db<AccountRow>(ACCOUNTS).orderBy('name_key');
    return rows.map((r) => this.account(r));
  }

  async count(): Promise<number> {
    const [row] = await this.db(ACCOUNTS).count({ n: '*' });
    return Number((row as { n: number | string }).n);
  }

  /** Insert an account; undefined when the name (in any case) is taken. */
  async create(fields: { name: string; role: Role; password?: PasswordHash; legacy?: { kind: string; hash: string }; createdAt: number }): Promise<StoredAccount | undefined> {
    try {
      const [id] = await this.db(ACCOUNTS).insert({
        name: fields.name, name_key: nameKey(fields.name), role: fields.role,
        ...(fields.password ? pwColumns(fields.password) : {}),
        legacy_kind: fields.legacy?.kind ?? null, legacy_hash: fields.legacy?.hash ?? null,
        created_at: fields.createdAt, last_seen: null,
      });
      // MySQL returns the insert id; SQLite too (knex returns the rowid).
      return this.byId(Number(id));
    } catch (err) {
      if (isUniqueViolation(err)) return undefined;
      throw err;
    }
  }

  /** Set a scrypt hash and erase any legacy password. */
  async setPassword(id: number, password: PasswordHash): Promise<void> {
    await this.db(ACCOUNTS).where('id', id).update({ ...pwColumns(password), legacy_kind: null, legacy_hash: null });
  }

  async setRole(id: number, role: Role): Promise<void> {
    await this.db(ACCOUNTS).where('id', id).update({ role });
  }

  async setLegacy(id: number, legacy: { kind: string; hash: string }): Promise<void> {
    await this.db(ACCOUNTS).where('id', id).update({ legacy_kind: legacy.kind, legacy_hash: legacy.hash });
  }

  /** Note an account's lastSeen; written at the next flushSeen. */
  touch(id: number, at: number): void {
    this.seen.set(id, Math.max(at, this.seen.get(id) ?? at));
  }

  get unwrittenSeen(): number { return this.seen.size; }

  /** Write every noted lastSeen, a statement per SEEN_CHUNK accounts; what fails is noted again. */
  async flushSeen(): Promise<void> {
    if (this.seen.size === 0) return;
    const entries = [...this.seen];
    this.seen.clear();
    for (let i = 0; i < entries.length; i += SEEN_CHUNK) {
      // One statement a turn: SQLite runs them on the main thread, and a wave's second has thousands.
      if (i > 0) await new Promise((r) => setImmediate(r));
      const chunk = entries.slice(i, i + SEEN_CHUNK);
      const cases = chunk.map(() => 'WHEN ? THEN ?').join(' ');
      try {
        await this.db(ACCOUNTS).whereIn('id', chunk.map(([id]) => id))
          .update({ last_seen: this.db.raw(`CASE id ${cases} END`, chunk.flat()) });
      } catch (err) {
        for (const [id, at] of entries.slice(i)) this.touch(id, at);
        throw err;
      }
    }
  }


  // ── Reconnect tokens ──

  async addToken(accountId: number, hash: string, createdAt: number, expiresAt: number, keep: number): Promise<void> {
    await this.db(TOKENS).insert({ account_id: accountId, token_hash: hash, created_at: createdAt, expires_at: expiresAt });
    // Keep the newest `keep` tokens of the account.
    const old = await this.db(TOKENS).where('account_id', accountId).orderBy('id', 'desc').offset(keep).limit(1000).select('id');
    if (old.length) await this.db(TOKENS).whereIn('id', old.map((r: { id: number }) => r.id)).delete();
  }

  /** A live token with its account, in one statement (a reconnect wave runs thousands at once). */
  async tokenAccount(hash: string, now: number): Promise<{ account: StoredAccount; createdAt: number; expiresAt: number } | undefined> {
    const row = await this.db(`${TOKENS} as t`).join(`${ACCOUNTS} as a`, 'a.id', 't.account_id')
      .where('t.token_hash', hash).andWhere('t.expires_at', '>', now)
      .first('a.*', 't.created_at as token_created_at', 't.expires_at as token_expires_at') as
      (AccountRow & { token_created_at: number | string; token_expires_at: number | string }) | undefined;
    return row ? { account: this.account(row), createdAt: num(row.token_created_at), expiresAt: num(row.token_expires_at) } : undefined;
  }

  /** Put back a token revoked for a swap that did not go through. */
  async restoreToken(accountId: number, hash: string, createdAt: number, expiresAt: number): Promise<void> {
    await this.db(TOKENS).insert({ account_id: accountId, token_hash: hash, created_at: createdAt, expires_at: expiresAt });
  }

  async revokeToken(hash: string): Promise<void> {
    await this.db(TOKENS).where('token_hash', hash).delete();
  }

  async revokeTokens(accountId: number): Promise<void> {
    await this.db(TOKENS).where('account_id', accountId).delete();
  }

  async purgeExpiredTokens(now: number): Promise<number> {
    return this.db(TOKENS).where('expires_at', '<=', now).delete();
  }
}
