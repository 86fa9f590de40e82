import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IdGenerator, migrate, openDatabase, type ChatMessage, type Knex } from '../../core/index.js';
import { createTestDatabase, databaseKinds, eventually } from '../../core/testing/index.js';
import { MESSAGES, migrations } from './migrations.js';
import { HistoryStore } from './store.js';
import { WriteQueue, type QueueSink } from './queue.js';
import { History } from './service.js';
import { historyDefaults, type HistoryConfig } from './config.js';
import { dmKey } from './keys.js';

const ids = new IdGenerator();
const T0 = Date.parse('2026-01-01T00:00:00Z');

function msg(fields: Partial<ChatMessage> & { from: string }, text = 'hi'): ChatMessage {
  const id = ids.next();
  return { id, text, ts: new Date(T0).toISOString(), kind: 'message', ...fields };
}

/** A queue sink whose writes fail while `down` is set (as a database outage would). */
function flakySink(store: HistoryStore): QueueSink & { down: boolean; writes: number; events: string[] } {
  const sink = {
    down: false, writes: 0, events: [] as string[],
    async write(batch: readonly ChatMessage[]) {
      sink.writes++;
      if (sink.down) throw new Error('database is down');
      await store.insert(batch);
    },
    failed: (_e: unknown, attempt: number) => { sink.events.push(`failed ${attempt}`); },
    recovered: (n: number) => { sink.events.push(`recovered ${n}`); },
    dropped: (n: number, first: boolean) => { if (first) sink.events.push(`dropping`); void n; },
    episodeEnded: (n: number) => { sink.events.push(`dropped ${n}`); },
  };
  return sink;
}

describe.each(databaseKinds())('history store and queue (%s)', (kind) => {
  let db: Knex;
  let drop: () => Promise<void>;
  let store: HistoryStore;
  const config: HistoryConfig = { ...historyDefaults, flushIntervalMs: 5, retryMinMs: 5, retryMaxMs: 20, batchSize: 50, maxQueued: 1000 };

  beforeEach(async () => {
    const created = await createTestDatabase(kind);
    drop = created.drop;
    db = openDatabase(created.url);
    await migrate(db, 'history', migrations);
    store = new HistoryStore(db);
  });
  afterEach(async () => { await db.destroy(); await drop(); });

  it('pages a conversation oldest first, backwards with before and forwards with after', async () => {
    const all = Array.from({ length: 120 }, (_, i) => msg({ from: 'alice', channel: '#Dev' }, `m${i}`));
    await store.insert([...all, msg({ from: 'bob', channel: '#other' })]);
    const last = await store.page('#dev', { limit: 50 });
    expect(last.messages.map((m) => m.text)).toEqual(all.slice(70).map((m) => m.text));
    expect(last.more).toBe(true);
    const before = await store.page('#dev', { limit: 50, before: last.messages[0]!.id });
    expect(before.messages.map((m) => m.id)).toEqual(all.slice(20, 70).map((m) => m.id));
    const first = await store.page('#dev', { limit: 50, before: before.messages[0]!.id });
    expect(first.messages.map((m) => m.id)).toEqual(all.slice(0, 20).map((m) => m.id));
    expect(first.more).toBe(false);
    const after = await store.page('#dev', { limit: 30, after: all[99]!.id });
    expect(after.messages.map((m) => m.id)).toEqual(all.slice(100).map((m) => m.id));
    expect(after.more).toBe(false);
    expect((await store.page('#dev', { limit: 10, after: all[9]!.id })).more).toBe(true);
    // Stored as sent: names as written, kind, time.
    expect(last.messages[0]).toEqual(all[70]);
  });

  it('keeps every message and page across the upgrade that stores rows by conversation (003), and back', async () => {
    // A database as the earlier schema left it, with two conversations interleaved.
    const old = await createTestDatabase(kind);
    const odb = openDatabase(old.url);
    try {
      await migrate(odb, 'history', migrations.slice(0, 2));
      const ostore = new HistoryStore(odb);
      const dev = Array.from({ length: 80 }, (_, i) => msg({ from: 'alice', channel: '#dev' }, `d${i}`));
      const dms = Array.from({ length: 80 }, (_, i) => msg({ from: 'bob', to: 'carol' }, `p${i}`));
      await ostore.insert(dev.flatMap((m, i) => [m, dms[i]!]));
      const pages = async () => [
        await ostore.page('#dev', { limit: 50 }), await ostore.page(dmKey('carol', 'bob'), { limit: 30, before: dms[60]!.id }),
        await ostore.page('#dev', { limit: 50, after: dev[10]!.id }), await ostore.lastFrom('bob'), await ostore.count(),
      ];
      const before = await pages();
      expect(await migrate(odb, 'history', migrations)).toEqual(['003_mysql_rows_by_conversation']);
      expect(await pages()).toEqual(before);
      // Ids stay unique under the new key: a retried batch stores nothing twice.
      await ostore.insert(dev.slice(0, 5));
      expect(await ostore.count()).toBe(160);
      await migrations[2]!.down!(odb);
      expect(await pages()).toEqual(before);
    } finally { await odb.destroy(); await old.drop(); }
  });

  it('stores a direct message once, found from either side, with unicode and 4 KB texts intact', async () => {
    const long = 'é'.repeat(2048); // 4096 bytes
    const dm = msg({ from: 'Alice', to: 'bob', kind: 'action' }, long);
    const emoji = msg({ from: 'bob', to: 'Alice', bot: true }, 'ok 🐱 ');
    await store.insert([dm, emoji]);
    expect(await store.count()).toBe(2);
    const page = await store.page(dmKey('BOB', 'alice'), { limit: 10 });
    expect(page.messages).toEqual([dm, emoji]);
  });

  it('skips ids already stored, so a retried batch and a repeated import store nothing twice', async () => {
    const batch = Array.from({ length: 10 }, () => msg({ from: 'alice', channel: '#a' }));
    await store.insert(batch);
    await store.insert(batch);
    expect(await store.count()).toBe(10);
    const queue = new WriteQueue({ write: (b) => store.insert(b) }, config);
    const history = new History(store, queue, config, { now: () => T0 }, new IdGenerator());
    const more = [...batch.slice(5), msg({ from: 'x1', channel: '#a' }), msg({ from: 'x2', channel: '#a' })];
    expect(await history.importMessages([...more, more[6]!])).toBe(2);
    expect(await history.importMessages(more)).toBe(0);
    expect(await store.count()).toBe(12);
    // An import of older messages never makes lastFrom go back.
    expect((await history.lastFrom('x2'))?.id).toBe(more[6]!.id);
    const older = { ...batch[0]!, id: '0000000010000', from: 'X2' };
    expect(await history.importMessages([older])).toBe(1);
    expect((await history.lastFrom('x2'))?.id).toBe(more[6]!.id);
  });

  it('writes batches far larger than one statement allows (SQLite parameters, MySQL packet size)', async () => {
    const big = Array.from({ length: 5000 }, (_, i) => msg({ from: 'alice', channel: '#big' }, `${i} ${'x'.repeat(1200)}`));
    await store.insert(big);
    expect(await store.count('#big')).toBe(5000);
  });

  it('reads queued messages before they are written, then writes each once', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const sink: QueueSink = { write: async (b) => { await gate; await store.insert(b); } };
    const queue = new WriteQueue(sink, config);
    const history = new History(store, queue, config, { now: () => T0 }, new IdGenerator());
    const old = msg({ from: 'alice', channel: '#q' }, 'stored');
    await store.insert([old]);
    const fresh = Array.from({ length: 120 }, (_, i) => msg({ from: i % 2 ? 'alice' : 'bob', channel: '#q' }, `q${i}`));
    for (const m of fresh) queue.push(m);
    expect(queue.depth).toBe(120);
    expect((await history.recent({ channel: '#Q' }, 3)).map((m) => m.text)).toEqual(['q117', 'q118', 'q119']);
    const page = await history.page({ channel: '#q' }, { limit: 5, before: fresh[2]!.id });
    expect(page.messages.map((m) => m.text)).toEqual(['stored', 'q0', 'q1']);
    expect(page.more).toBe(false);
    expect((await history.lastFrom('BOB'))?.text).toBe('q118');
    release();
    await history.flush();
    expect(queue.depth).toBe(0);
    expect(await store.count('#q')).toBe(121);
    expect((await history.recent({ channel: '#q' }, 200)).length).toBe(121);
    expect((await history.lastFrom('alice'))?.text).toBe('q119');
  });

  it('keeps a failed batch and retries with backoff until the database is back: nothing is lost', async () => {
    const sink = flakySink(store);
    const queue = new WriteQueue(sink, config);
    sink.down = true;
    const sent = Array.from({ length: 300 }, (_, i) => msg({ from: 'alice', channel: '#out' }, `o${i}`));
    for (const m of sent.slice(0, 150)) queue.push(m);
    await eventually(() => sink.events.includes('failed 3'), 'three failed writes');
    for (const m of sent.slice(150)) queue.push(m);
    expect(queue.depth).toBe(300);
    sink.down = false;
    await eventually(() => queue.depth === 0, 'the queue to drain');
    expect(sink.events.filter((e) => e.startsWith('recovered'))).toHaveLength(1);
    expect((await store.page('#out', { limit: 500 })).messages.map((m) => m.text)).toEqual(sent.map((m) => m.text));
    expect(queue.dropped).toBe(0);
  });

  it('drops past its bound, counts and reports each episode once, and says when it has room again', async () => {
    const sink = flakySink(store);
    const queue = new WriteQueue(sink, { ...config, maxQueued: 100 });
    sink.down = true;
    let accepted = 0;
    for (let i = 0; i < 130; i++) if (queue.push(msg({ from: 'alice', channel: '#full' }))) accepted++;
    expect(accepted).toBe(100);
    expect(queue.dropped).toBe(30);
    expect(sink.events.filter((e) => e === 'dropping')).toHaveLength(1);
    sink.down = false;
    expect(await queue.flush(5_000)).toBe(0);
    expect(sink.events).toContain('dropped 30');
    expect(await store.count('#full')).toBe(100);
  });

  it('gives up a flush at its deadline and keeps the messages for later', async () => {
    const sink = flakySink(store);
    const queue = new WriteQueue(sink, config);
    queue.stop();
    sink.down = true;
    queue.push(msg({ from: 'alice', channel: '#late' }));
    expect(await queue.flush(60)).toBe(1);
    sink.down = false;
    expect(await queue.flush(1_000)).toBe(0);
    expect(await store.count('#late')).toBe(1);
  });

  it('removes messages older than the retention, by the injected clock', async () => {
    let now = T0;
    const clock = { now: () => now };
    const cfg = { ...config, retentionDays: 7 };
    const queue = new WriteQueue({ write: (b) => store.insert(b) }, cfg);
    const history = new History(store, queue, cfg, clock, new IdGenerator());
    const day = 86_400_000;
    const at = (ms: number, text: string): ChatMessage => ({ id: new IdGenerator(() => ms).next(), from: 'alice', channel: '#r', text, kind: 'message', ts: new Date(ms).toISOString() });
    await store.insert([at(T0 - 10 * day, 'ten days'), at(T0 - 8 * day, 'eight days'), at(T0 - 1 * day, 'yesterday')]);
    expect(await history.prune()).toBe(2);
    expect((await history.recent({ channel: '#r' }, 10)).map((m) => m.text)).toEqual(['yesterday']);
    now = T0 + 7 * day;
    expect(await history.prune()).toBe(1);
    expect(await store.count()).toBe(0);
  });

  it('searches the conversations a user can read, any case, wildcards taken literally', async () => {
    const queue = new WriteQueue({ write: (b) => store.insert(b) }, config);
    const history = new History(store, queue, config, { now: () => T0 }, new IdGenerator());
    await store.insert([
      msg({ from: 'bob', channel: '#mine' }, 'The Deploy is done'),
      msg({ from: 'bob', channel: '#secret' }, 'deploy secrets'),
      msg({ from: 'bob', to: 'alice' }, 'did you deploy?'),
      msg({ from: 'bob', to: 'carol' }, 'deploy for carol'),
      msg({ from: 'alice', channel: '#mine' }, '100% sure_thing'),
      msg({ from: 'alice', channel: '#mine' }, '100 percent sure thing'),
    ]);
    queue.stop();
    queue.push(msg({ from: 'alice', to: 'bob' }, 'queued DEPLOY note'));
    const found = await history.search('Alice', ['#Mine'], 'deploy', 10);
    expect(found.messages.map((m) => m.text)).toEqual(['The Deploy is done', 'did you deploy?', 'queued DEPLOY note']);
    expect((await history.search('alice', ['#mine'], '0% sure_', 10)).messages.map((m) => m.text)).toEqual(['100% sure_thing']);
    const bounded = await history.search('alice', ['#mine'], 'e', 2);
    expect(bounded.messages).toHaveLength(2);
    expect(bounded.more).toBe(true);
  });
});

describe.each(databaseKinds())('history migrations (%s)', (kind) => {
  it('carry messages stored by the first version over (lastFrom included)', async () => {
    const created = await createTestDatabase(kind);
    const db = openDatabase(created.url);
    try {
      // The first migration and messages as that version stored them; then the rest: 002 carries each
      // sender's newest message over to its own table.
      await migrate(db, 'history', migrations.slice(0, 1));
      await db(MESSAGES).insert([
        { id: '0000000010000', target_key: '#old', sender: 'Olga', sender_key: 'olga', channel: '#old', recipient: null, text: 'first', kind: 'message', ts: 1, bot: false },
        { id: '0000000020000', target_key: '#old', sender: 'Olga', sender_key: 'olga', channel: '#old', recipient: null, text: 'second', kind: 'message', ts: 2, bot: false },
      ]);
      await migrate(db, 'history', migrations);
      const store = new HistoryStore(db);
      expect((await store.lastFrom('OLGA'))?.text).toBe('second');
      expect((await store.page('#old', { limit: 5 })).messages.map((m) => m.text)).toEqual(['first', 'second']);
      await db(MESSAGES).where('target_key', '#old').delete();
      expect(await store.lastFrom('olga')).toBeUndefined();
    } finally {
      await db.destroy();
      await created.drop();
    }
  });
});
