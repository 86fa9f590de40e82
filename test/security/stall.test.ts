import { afterEach, describe, expect, it } from 'vitest';
import Sqlite from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { databaseKinds, TestServer, type JsonEvent, type TestDatabaseKind, databaseIdle, PASSWORD } from '../../core/testing/index.js';

let server: TestServer | undefined;
let release: (() => Promise<void>) | undefined;
afterEach(async () => {
  await release?.();
  release = undefined;
  await server?.stop();
  server = undefined;
});

/** Another client holds a table (MySQL: LOCK TABLES … WRITE) or the whole file (SQLite: BEGIN EXCLUSIVE). */
async function stall(db: TestDatabaseKind, s: TestServer, table: string): Promise<() => Promise<void>> {
  if (db === 'sqlite') {
    const holder = new Sqlite(s.databaseUrl.slice('sqlite:'.length));
    holder.exec('BEGIN EXCLUSIVE');
    return async () => { holder.exec('ROLLBACK'); holder.close(); };
  }
  const c = await createConnection(s.databaseUrl);
  await c.query(`LOCK TABLES ${table} WRITE`);
  return async () => { await c.query('UNLOCK TABLES'); await c.end(); };
}

describe.each(databaseKinds())('a stalled database (%s)', (db) => {
  it('logins fail with a clear error within seconds, more of them than the pool holds; history writes keep their own connection', async () => {
    server = await TestServer.start({
      db, config: { database: { queryTimeoutSeconds: 2 } },
      plugins: { auth: {}, channels: {}, history: { flushIntervalMs: 10, retryMinMs: 50, retryMaxMs: 200, journalAfterMs: 60_000 } },
    });
    await server.user('bob');
    const alice = await server.user('alice');
    await alice.next('history');
    const clients = await Promise.all(Array.from({ length: 12 }, () => server!.json()));

    release = await stall(db, server, 'auth_accounts');
    const started = performance.now();
    for (const c of clients) c.send(`/login bob ${PASSWORD}`);
    const replies: JsonEvent[] = await Promise.all(clients.map((c) => c.next((e) => e.type === 'login' || e.type === 'error', 10_000)));
    const took = performance.now() - started;
    // Chat goes on meanwhile.
    await alice.ok('still here', 'message');
    for (const r of replies) {
      if (r.type === 'error') expect(r).toMatchObject({ code: 'INTERNAL', text: 'The database is not answering right now; try again in a moment.' });
    }
    if (db === 'mysql') expect(replies.every((r) => r.type === 'error')).toBe(true);
    expect(took).toBeLessThan(6_000); // two timeouts of 2 s at most, not until the lock goes
    await release();
    release = undefined;
    await server.login('bob');

    // A stalled history write holds only the writer's own connection: logins and reads go on. (SQLite
    // locks the whole file, and its writes already wait at most 200 ms: nothing to separate there.)
    if (db === 'sqlite') return;
    release = await stall(db, server, 'history_messages');
    for (let i = 0; i < 5; i++) alice.send(`while stalled ${i}`);
    await alice.next((e) => e.type === 'message' && e.text === 'while stalled 4');
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 12 }, () => server!.login('bob')));
    expect(performance.now() - t0).toBeLessThan(1_500);
    await release();
    release = undefined;
    const history = server.server.service('history')!;
    await history.flush();
    expect(history.queueDepth()).toBe(0);
    await databaseIdle(server); // the logins' own reads (replay, offline messages) have finished
    expect(server.errors).toEqual([]);
  }, 40_000);
});
