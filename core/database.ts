import knexFactory, { type Knex } from 'knex';
import Sqlite from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export type Database = Knex;
export type { Knex };

export interface Migration {
  /** Unique within the plugin and sorted in the order they run, e.g. `001_accounts`. */
  name: string;
  up(db: Knex): Promise<void>;
  down?(db: Knex): Promise<void>;
}

export function databaseKind(url: string): 'sqlite' | 'mysql' {
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) return 'mysql';
  if (url.startsWith('sqlite:')) return 'sqlite';
  throw new Error(`unsupported database url ${JSON.stringify(url)}: use sqlite:<path> or mysql://user:pass@host:port/db`);
}

export interface DatabaseOptions {
  /**
   * MySQL: a statement waiting for a lock, or running, longer than this fails (lock_wait_timeout,
   * innodb_lock_wait_timeout, max_statement_time), and waiting for a free connection fails after it too,
   * so a stalled database gives a clear error in seconds instead of hanging every caller. 0: no limit.
   */
  queryTimeoutSeconds?: number;
  /** MySQL: connections in the pool (a second small pool keeps writes that can wait off the main one). */
  poolMax?: number;
}

/**
 * Serving from a SQLite file takes an exclusive lock on `<file>.lock` for as long as the server runs, so a
 * second server on the same file refuses to start instead of both writing to it. The lock is SQLite's own
 * (a file lock the system drops when the process dies: a SIGKILL or a crash leaves nothing stale).
 * Returns the release, or undefined when there is nothing to lock (MySQL, in memory). CLI tasks
 * (`whiskr user add`) do not take it: they may run beside the server.
 */
export function lockSqliteDatabase(url: string): (() => void) | undefined {
  if (databaseKind(url) !== 'sqlite') return undefined;
  const file = url.slice('sqlite:'.length);
  if (file === '' || file === ':memory:' || file.startsWith('file::memory:')) return undefined;
  const path = `${resolve(file)}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  const conn = new Sqlite(path);
  try {
    conn.pragma('busy_timeout = 0');
    conn.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    conn.close();
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    throw new DatabaseInUseError(`Another Whiskr server is already using ${resolve(file)} (it holds ${path}); stop it first, or give this one another database.url.`);
  }
  return () => {
    try { conn.exec('ROLLBACK'); } catch { /* nothing to undo */ }
    conn.close();
  };
}

export class DatabaseInUseError extends Error { override name = 'DatabaseInUseError'; }

/** Open the database named by a url: `sqlite:<path>` (`sqlite::memory:` in memory) or `mysql://…`. */
export function openDatabase(url: string, opts: DatabaseOptions = {}): Knex {
  if (databaseKind(url) === 'mysql') {
    const u = new URL(url.replace(/^mariadb:/, 'mysql:'));
    const timeout = opts.queryTimeoutSeconds ?? 0;
    return knexFactory({
      client: 'mysql2',
      connection: {
        host: u.hostname || '127.0.0.1',
        port: Number(u.port || 3306),
        user: decodeURIComponent(u.username),
        password: decodeURIComponent(u.password),
        database: u.pathname.replace(/^\//, ''),
        charset: 'utf8mb4',
        supportBigNumbers: true,
        timezone: 'Z',
        connectTimeout: 5_000,
      },
      pool: {
        min: 0, max: opts.poolMax ?? 10,
        afterCreate: (conn: MysqlConnection, done: (err: Error | null, conn: unknown) => void) => {
          if (timeout <= 0) return done(null, conn);
          const s = Math.max(1, Math.round(timeout));
          conn.query(`SET SESSION lock_wait_timeout = ${s}, innodb_lock_wait_timeout = ${s}`, (err) => {
            if (err) return done(err, conn);
            // MariaDB's max_statement_time (seconds); MySQL has max_execution_time (ms, SELECT only).
            conn.query(`SET SESSION max_statement_time = ${timeout}`, (e2) => {
              if (!e2) return done(null, conn);
              conn.query(`SET SESSION max_execution_time = ${Math.round(timeout * 1000)}`, () => done(null, conn));
            });
          });
        },
      },
      acquireConnectionTimeout: timeout > 0 ? timeout * 1000 : 10_000,
    });
  }
  const file = url.slice('sqlite:'.length);
  const memory = file === ':memory:' || file === '';
  if (!memory) mkdirSync(dirname(resolve(file)), { recursive: true });
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: memory ? ':memory:' : resolve(file) },
    useNullAsDefault: true,
    // One connection: SQLite serialises writers anyway, and an in-memory database exists per connection.
    pool: {
      min: 1, max: 1,
      afterCreate: (conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) => {
        try {
          cachePreparedStatements(conn);
          conn.pragma('journal_mode = WAL');
          conn.pragma('synchronous = NORMAL');
          // better-sqlite3 waits for a lock synchronously, stopping the whole server meanwhile: wait briefly
          // and let the caller fail (history retries; a command answers INTERNAL) rather than freeze chat.
          conn.pragma('busy_timeout = 200');
          conn.pragma('foreign_keys = ON');
          // Fewer, larger checkpoints (each ends with an fsync) and a bigger page cache: about 2.5x the
          // batched insert rate of the default 1000 pages / 2 MB (plugins/history/bench.ts), at a WAL of up to ~40 MB.
          conn.pragma('wal_autocheckpoint = 10000');
          conn.pragma('cache_size = -32768');
          done(null, conn);
        } catch (err) { done(err as Error, conn); }
      },
    },
  });
}

interface MysqlConnection { query(sql: string, cb: (err: Error | null) => void): void }
interface SqliteStatement { safeIntegers(on?: boolean): unknown }
interface SqliteConnection { pragma(s: string): unknown; prepare(sql: string): SqliteStatement }

/** Prepared statements kept per connection: far more than the distinct queries the plugins make. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Knex prepares every query afresh; with better-sqlite3 that parse and plan is a good part of a small
 * query's cost, and the plugins run the same few queries over and over. A statement is reusable once it
 * has run (better-sqlite3 runs each to completion), and SQLite re-prepares it by itself after a schema change.
 */
function cachePreparedStatements(conn: SqliteConnection): void {
  const prepare = conn.prepare.bind(conn);
  const cache = new Map<string, SqliteStatement>();
  conn.prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (statement) {
      statement.safeIntegers(false); // back to the default: knex sets its per-query option after this
      return statement;
    }
    statement = prepare(sql);
    if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(sql, statement);
    return statement;
  };
}

/** A migration may rebuild a large table (minutes): on MySQL it runs without the statement time limit. */
async function unlimited(trx: Knex, run: (db: Knex) => Promise<void>): Promise<void> {
  if (!/mysql/.test(String(trx.client.config.client))) return run(trx);
  const [[row]] = await trx.raw('SELECT @@SESSION.max_statement_time AS t').catch(() => [[{ t: null }]]);
  if (row?.t === null || row?.t === undefined || Number(row.t) === 0) return run(trx);
  await trx.raw('SET SESSION max_statement_time = 0');
  try { await run(trx); } finally { await trx.raw(`SET SESSION max_statement_time = ${Number(row.t)}`); }
}

/** Whether an error means the database is unreachable or stalled (not a bug): a lock or statement timeout, no connection, no free connection. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { name?: string; code?: string; errno?: number } | undefined;
  if (!e || typeof e !== 'object') return false;
  if (e.name === 'KnexTimeoutError') return true;
  return ['ER_LOCK_WAIT_TIMEOUT', 'ER_STATEMENT_TIMEOUT', 'ER_QUERY_TIMEOUT', 'ER_QUERY_INTERRUPTED', 'ECONNREFUSED', 'ECONNRESET', 'PROTOCOL_CONNECTION_LOST', 'ETIMEDOUT',
    'ER_DBACCESS_DENIED_ERROR', 'ER_ACCESS_DENIED_ERROR', 'ER_TABLEACCESS_DENIED_ERROR', 'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_READONLY', 'SQLITE_FULL', 'SQLITE_IOERR'].includes(e.code ?? '')
    || e.errno === 1969 || e.errno === 3024;
}

/** Run one plugin's migrations, each plugin with its own migration table. */
export async function migrate(db: Knex, plugin: string, migrations: readonly Migration[]): Promise<string[]> {
  if (migrations.length === 0) return [];
  const source: Knex.MigrationSource<Migration> = {
    getMigrations: async () => [...migrations],
    getMigrationName: (m) => m.name,
    getMigration: async (m) => ({ up: (trx: Knex) => unlimited(trx, m.up), down: (trx: Knex) => unlimited(trx, m.down ?? (async () => {})) }),
  };
  const [, applied] = await db.migrate.latest({ migrationSource: source, tableName: `whiskr_migrations_${plugin.replace(/[^a-z0-9_]/gi, '_')}` });
  return applied as string[];
}
