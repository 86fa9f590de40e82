import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../core/index.js';
import { createTestDatabase, databaseKinds, ServerProcess, TestClient } from '../../core/testing/index.js';
import { MESSAGES } from './migrations.js';

let proc: ServerProcess | undefined;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  await proc?.kill();
  proc = undefined;
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe.each(databaseKinds())('whiskr serve with history (%s)', (db) => {
  it('writes every queued message before it exits on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'whiskr-history-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    let url = `sqlite:${join(dir, 'db.sqlite')}`;
    if (db === 'mysql') {
      const created = await createTestDatabase('mysql');
      cleanups.push(() => created.drop());
      url = created.url;
    }
    const config = join(dir, 'whiskr.json');
    // Full batches of 10 are written at once (on SQLite they start the writer thread); the rest waits for
    // a window far longer than the test, so it is still queued when the signal comes.
    writeFileSync(config, JSON.stringify({
      database: { url },
      flood: { enabled: false },
      plugins: { auth: { scryptN: 1024 }, history: { flushIntervalMs: 600_000, batchSize: 10 }, channels: {} },
    }));
    proc = await ServerProcess.start(['--config', config]);
    const c = await TestClient.connect(proc.port);
    await c.ok('/format json');
    await c.ok('/register alice correct horse battery', 'login');
    await c.next('history');
    const texts = Array.from({ length: 40 }, (_, i) => `batch ${i + 1}`);
    for (const t of texts) c.send(t);
    await c.next((e) => e.type === 'message' && e.text === 'batch 40');
    if (db === 'sqlite') await proc.waitFor(/writing from a worker thread/, 20_000);
    const tail = Array.from({ length: 5 }, (_, i) => `queued ${i + 1}`);
    for (const t of tail) c.send(t);
    await c.next((e) => e.type === 'message' && e.text === 'queued 5');
    await c.ok('/msg alice and a direct one', 'message');
    proc.signal('SIGTERM');
    expect(await proc.exited).toBe(0);
    // At least the six after the last full batch were still queued (a batch may still have been on its way).
    expect(Number(/shutdown: wrote the (\d+) queued message\(s\)/.exec(proc.output)?.[1])).toBeGreaterThanOrEqual(6);
    const check = openDatabase(url);
    try {
      const rows: { text: string }[] = await check(MESSAGES).select('text').orderBy('id');
      expect(rows.map((r) => r.text)).toEqual([...texts, ...tail, 'and a direct one']);
    } finally {
      await check.destroy();
    }
  }, 40_000);
});
