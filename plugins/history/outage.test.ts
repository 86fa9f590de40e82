import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, databaseKinds, TestServer, type TestDatabaseKind, databaseIdle, eventually, member, TcpProxy, say } from '../../core/testing/index.js';
import { admin, storedRows } from './testing.js';

interface Outage { server: TestServer; begin(): Promise<void>; end(): Promise<void>; cleanup(): Promise<void> }

const plugins = (history: Record<string, unknown>) => ({ auth: { scryptN: 1024 }, history: { flushIntervalMs: 10, retryMinMs: 20, retryMaxMs: 200, ...history }, channels: {} });

/**
 * A server whose database can be taken away and given back. SQLite: the connection is made read-only
 * (`PRAGMA query_only`: every write fails as on a read-only disk). MySQL: the server reaches the shared
 * MariaDB through a TCP proxy that is closed (connections cut, new ones refused) and reopened.
 */
async function serverWithOutage(db: TestDatabaseKind, history: Record<string, unknown>): Promise<Outage> {
  if (db === 'sqlite') {
    const server = await TestServer.start({ db, plugins: plugins(history) });
    return {
      server,
      begin: async () => { await server.server.db.raw('PRAGMA query_only = 1'); },
      end: async () => { await server.server.db.raw('PRAGMA query_only = 0'); },
      cleanup: async () => {},
    };
  }
  const created = await createTestDatabase('mysql');
  const url = new URL(created.url);
  const proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 3306) });
  url.host = `127.0.0.1:${proxy.port}`;
  const server = await TestServer.start({ db, databaseUrl: url.toString(), plugins: plugins(history) });
  return { server, begin: () => proxy.down(), end: () => proxy.up(), cleanup: async () => { await proxy.down(); await created.drop(); } };
}

let outage: Outage | undefined;
afterEach(async () => {
  try { await outage?.server.stop(); } finally { await outage?.cleanup(); outage = undefined; }
});

describe.each(databaseKinds())('history through a database outage (%s)', (db) => {
  it('chat goes on, the queue holds what it can and writes it when the database is back; drops are counted and told', async () => {
    const journal = join(tmpdir(), `whiskr-outage-journal-${process.pid}-${db}.jsonl`);
    outage = await serverWithOutage(db, { maxQueued: 15, journalFile: journal });
    const { server } = outage;
    const history = server.server.service('history')!;
    const root = await admin(server, 'root');
    const alice = await member(server, 'alice');
    const bob = await member(server, 'bob');
    await say(alice, 'before');
    await eventually(() => history.queueDepth() === 0, 'the first message to be written');
    await databaseIdle(server); // the logins' own writes (auth's last-seen) are done: only history meets the outage

    await outage.begin();
    const texts = Array.from({ length: 20 }, (_, i) => `during ${i + 1}`);
    for (const t of texts) alice.send(t);
    // Chat goes on: every line is delivered although none can be stored.
    for (const t of texts) await bob.next((e) => e.type === 'message' && e.text === t);
    const full = await root.next((e) => e.type === 'notice' && /NOT being stored/.test(e.text));
    expect(full.from).toBe('server');
    expect(history.queueDepth()).toBe(15);
    expect(history.dropped()).toBe(5);
    await eventually(() => server.sink.records.some((r) => r.level === 'warn' && /cannot write history/.test(r.message)), 'a failed write', 20_000);
    // What is queued is on disk meanwhile (not the 5 dropped: the journal holds what the queue holds).
    await eventually(() => existsSync(journal) && readFileSync(journal, 'utf8').split('\n').filter((l) => l.includes('"during ')).length === 15, 'the queue in the journal');
    expect(server.sink.records.filter((r) => /history queue full/.test(r.message))).toHaveLength(1);

    // Reading meanwhile: SQLite still reads (stored and queued merged); MySQL cannot be reached, and says so plainly.
    const during = await bob.request('/history', 'history');
    if (db === 'sqlite') expect(during.messages.map((m: { text: string }) => m.text)).toEqual(['before', ...texts.slice(0, 15)]);
    else expect(during).toMatchObject({ type: 'error', code: 'INTERNAL', text: expect.stringMatching(/cannot be read right now/) });

    await outage.end();
    const again = await root.next((e) => e.type === 'notice' && /being stored again/.test(e.text), 15_000);
    expect(again.text).toMatch(/5 message\(s\) were not stored/);
    await eventually(() => history.queueDepth() === 0, 'the queue to drain', 15_000);
    expect(existsSync(journal)).toBe(false); // everything in it is stored
    expect((await storedRows(server, '#general')).map((r) => r.text)).toEqual(['before', ...texts.slice(0, 15)]);
    // Only one notice of each kind for the episode.
    await root.sync();
    expect(root.events.filter((e) => e.type === 'notice')).toHaveLength(2);
    const page = await bob.ok('/history', 'history');
    expect(page.messages.map((m: { text: string }) => m.text)).toEqual(['before', ...texts.slice(0, 15)]);
  }, 60_000);
});
