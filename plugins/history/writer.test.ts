import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdGenerator, Logger, migrate, openDatabase, type ChatMessage, type Knex, type LogRecord } from '../../core/index.js';
import { migrations } from './migrations.js';
import { HistoryStore } from './store.js';
import { WriteQueue } from './queue.js';
import { BatchWriter } from './writer.js';
import { historyDefaults } from './config.js';

const ids = new IdGenerator();
const msg = (text: string): ChatMessage => ({ id: ids.next(), from: 'alice', channel: '#busy', text, ts: new Date().toISOString(), kind: 'message' });

describe('the SQLite writer thread', () => {
  const file = join(tmpdir(), `whiskr-history-writer-${process.pid}.sqlite`);
  let db: Knex | undefined;
  let writer: BatchWriter | undefined;
  afterEach(async () => {
    await writer?.close();
    await db?.destroy();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  });

  it('takes over once a full batch waits, and everything is written once, in order, readable at once', async () => {
    db = openDatabase(`sqlite:${file}`);
    await migrate(db, 'history', migrations);
    const store = new HistoryStore(db);
    const records: LogRecord[] = [];
    const log = new Logger({ write: (r) => records.push(r) }, 'debug');
    writer = new BatchWriter(store, db, { thread: true, fullBatch: 50 }, log);
    const queue = new WriteQueue({ write: (b) => writer!.write(b) }, { ...historyDefaults, flushIntervalMs: 5, batchSize: 50 });
    // Light traffic: small batches, written on the main thread.
    queue.push(msg('first'));
    expect(await queue.flush(5_000)).toBe(0);
    expect(writer.threaded).toBe(false);
    // A burst: full batches start the thread; until it is up the main thread keeps writing.
    const burst = Array.from({ length: 3_000 }, (_, i) => msg(`burst ${i}`));
    for (const m of burst) queue.push(m);
    expect(await queue.flush(20_000)).toBe(0);
    const deadline = Date.now() + 20_000;
    while (!writer.threaded && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(writer.threaded).toBe(true);
    const more = Array.from({ length: 500 }, (_, i) => msg(`after ${i}`));
    for (const m of more) queue.push(m);
    expect(await queue.flush(20_000)).toBe(0);
    const page = await store.page('#busy', { limit: 10_000 });
    expect(page.messages.map((m) => m.text)).toEqual(['first', ...burst.map((m) => m.text), ...more.map((m) => m.text)]);
    expect(records.filter((r) => r.level === 'error' || r.level === 'warn')).toEqual([]);
  }, 60_000);
});
