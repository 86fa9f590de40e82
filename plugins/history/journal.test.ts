import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { openDatabase } from '../../core/index.js';
import { createTestDatabase, databaseKinds, mysqlBaseUrl, ServerProcess, TestClient, type TestDatabaseKind, eventually } from '../../core/testing/index.js';
import { MESSAGES } from './migrations.js';
import { Journal } from './journal.js';

let proc: ServerProcess | undefined;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  await proc?.kill();
  proc = undefined;
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Outage { url: string; journal: string; begin(): Promise<void>; end(): Promise<void> }

let users = 0;

/**
 * A database the server can lose. MySQL: the server logs in as its own user, whose grant on the
 * database is revoked (the row removed from mysql.db, privileges flushed, its connections killed: the
 * suite's user may not GRANT) and given back. SQLite: another process holds the write lock on the file
 * (`BEGIN EXCLUSIVE`), so every write of the server fails as busy; reads go on (WAL).
 */
async function outage(db: TestDatabaseKind, dir: string): Promise<Outage> {
  if (db === 'sqlite') {
    const file = join(dir, 'db.sqlite');
    let holder: Sqlite.Database | undefined;
    return {
      url: `sqlite:${file}`,
      journal: `${file}.history-journal`,
      begin: async () => { holder = new Sqlite(file); holder.pragma('busy_timeout = 5000'); holder.exec('BEGIN EXCLUSIVE'); },
      end: async () => { holder?.exec('ROLLBACK'); holder?.close(); holder = undefined; },
    };
  }
  const created = await createTestDatabase('mysql');
  const name = new URL(created.url).pathname.slice(1);
  const user = `wj_${process.pid}_${users++}`;
  const admin = await createConnection(mysqlBaseUrl());
  const grant = async () => {
    await admin.query(`INSERT INTO mysql.db (Host, Db, User, Select_priv, Insert_priv, Update_priv, Delete_priv, Create_priv, Drop_priv, Index_priv, Alter_priv, Lock_tables_priv)
      VALUES ('127.0.0.1', ?, ?, 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y', 'Y')`, [name, user]);
    await admin.query('FLUSH PRIVILEGES');
  };
  await admin.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY 'journal-test'`, [user]);
  await grant();
  cleanups.push(async () => {
    await admin.query('DELETE FROM mysql.db WHERE User = ?', [user]);
    await admin.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [user]);
    await admin.end();
    await created.drop();
  });
  const url = new URL(created.url);
  url.username = user;
  url.password = 'journal-test';
  url.hostname = '127.0.0.1';
  return {
    url: url.toString(),
    journal: join(dir, 'journal.jsonl'),
    begin: async () => {
      await admin.query('DELETE FROM mysql.db WHERE User = ?', [user]);
      await admin.query('FLUSH PRIVILEGES');
      // A revoke does not end the connections already open: end them, as a restart of the database would.
      const [rows] = await admin.query('SELECT id FROM information_schema.processlist WHERE user = ?', [user]);
      for (const r of rows as { id: number }[]) await admin.query(`KILL CONNECTION ${Number(r.id)}`).catch(() => {});
    },
    end: grant,
  };
}

describe.each(databaseKinds())('history journal through a database outage (%s)', (db) => {
  it.each(['SIGKILL', 'SIGTERM'] as const)('keeps every acknowledged message through a %s: journalled while the database is away, written once at the next start', async (signal) => {
    const dir = mkdtempSync(join(tmpdir(), 'whiskr-journal-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const out = await outage(db, dir);
    const config = join(dir, 'whiskr.json');
    writeFileSync(config, JSON.stringify({
      database: { url: out.url },
      flood: { enabled: false },
      plugins: { auth: { scryptN: 1024 }, history: { retryMinMs: 50, retryMaxMs: 200, shutdownFlushSeconds: 1, ...(db === 'mysql' ? { journalFile: out.journal } : {}) }, channels: {} },
    }));
    proc = await ServerProcess.start(['--config', config]);
    const c = await TestClient.connect(proc.port);
    await c.ok('/format json');
    await c.ok('/register alice correct horse battery', 'login');
    await c.next('history');

    await out.begin();
    const texts = Array.from({ length: 20 }, (_, i) => `during ${i + 1}`);
    for (const t of texts) c.send(t);
    for (const t of texts) await c.next((e) => e.type === 'message' && e.text === t); // all acknowledged
    await proc.waitFor(/journalling queued messages/);
    const journalled = () => existsSync(out.journal) ? readFileSync(out.journal, 'utf8').split('\n').filter((l) => l.includes('"during ')).length : 0;
    await eventually(() => journalled() === 20, 'the 20 messages to be in the journal');
    proc.signal(signal);
    // A clean stop during the outage tries for shutdownFlushSeconds, then leaves the queue in the journal.
    if (signal === 'SIGTERM') expect(await proc.exited).toBe(0); else await proc.exited;
    if (signal === 'SIGTERM') expect(proc.output).toMatch(/could not be written within 1 s; they are in .* and will be written at the next start/);
    await out.end();

    proc = await ServerProcess.start(['--config', config]);
    expect(proc.output).toMatch(/wrote the 20 message\(s\) journalled during a database outage/);
    expect(existsSync(out.journal)).toBe(false);
    proc.signal('SIGTERM');
    expect(await proc.exited).toBe(0);
    const check = openDatabase(out.url);
    try {
      const rows: { text: string }[] = await check(MESSAGES).select('text').orderBy('id');
      expect(rows.map((r) => r.text)).toEqual(texts); // each once, in order
    } finally {
      await check.destroy();
    }
  }, 60_000);
});

describe.each(databaseKinds().filter((k) => k === 'mysql'))('history journal through a stalled write and a SIGKILL (%s)', () => {
  // SQLite has no stall apart from a held lock, which fails a write within 200 ms (the test above).
  it('a write that hangs on a lock journals the queue after journalAfterMs, before it fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'whiskr-journal-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const created = await createTestDatabase('mysql');
    cleanups.push(() => created.drop());
    const journal = join(dir, 'journal.jsonl');
    const config = join(dir, 'whiskr.json');
    writeFileSync(config, JSON.stringify({
      database: { url: created.url, queryTimeoutSeconds: 30 },
      flood: { enabled: false },
      plugins: { auth: { scryptN: 1024 }, history: { journalFile: journal, journalAfterMs: 300 }, channels: {} },
    }));
    proc = await ServerProcess.start(['--config', config]);
    const c = await TestClient.connect(proc.port);
    await c.ok('/format json');
    await c.ok('/register alice correct horse battery', 'login');
    await c.next('history');
    const locker = await createConnection(created.url);
    cleanups.push(() => locker.end());
    await locker.query('LOCK TABLES history_messages WRITE, history_last WRITE');
    const texts = Array.from({ length: 10 }, (_, i) => `stalled ${i + 1}`);
    for (const t of texts) c.send(t);
    for (const t of texts) await c.next((e) => e.type === 'message' && e.text === t);
    const journalled = () => existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter((l) => l.includes('"stalled ')).length : 0;
    await eventually(() => journalled() === 10, 'the 10 messages to be in the journal', 5_000); // long before the 30 s timeout
    proc.signal('SIGKILL');
    await proc.exited;
    await locker.query('UNLOCK TABLES');

    proc = await ServerProcess.start(['--config', config]);
    expect(proc.output).toMatch(/wrote the 10 message\(s\) journalled/);
    proc.signal('SIGTERM');
    expect(await proc.exited).toBe(0);
    const check = openDatabase(created.url);
    try {
      expect((await check(MESSAGES).select('text').orderBy('id')).map((r: { text: string }) => r.text)).toEqual(texts);
    } finally {
      await check.destroy();
    }
  }, 60_000);
});

describe('the journal file', () => {
  it('skips and counts a line torn by a crash; the next append starts on a line of its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'whiskr-journal-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'j.jsonl');
    const m = (id: string, text: string) => ({ id, from: 'alice', channel: '#c', text, ts: '2026-12-01T00:00:00.000Z', kind: 'message' as const });
    writeFileSync(file, `${JSON.stringify(m('0mx0000000000', 'whole'))}\n{"id":"0mx0000000001","from":"ali`);
    const journal = new Journal(file);
    journal.append([m('0mx0000000002', 'after the crash')]);
    expect(journal.read()).toEqual({ messages: [m('0mx0000000000', 'whole'), m('0mx0000000002', 'after the crash')], skipped: 1 });
    journal.clear();
    expect(existsSync(file)).toBe(false);
    expect(journal.read()).toEqual({ messages: [], skipped: 0 });
  });
});
