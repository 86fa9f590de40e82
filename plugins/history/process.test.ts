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
    // A write window far longer than the test: everything is still queued when the signal comes.
    writeFileSync(config, JSON.stringify({
      database: { url },
      flood: { enabled: false },
      plugins: { auth: { scryptN: 1024 }, history: { flushIntervalMs: 600_000, batchSize: 100_000 }, channels: {} },
    }));
    proc = await ServerProcess.start(['--config', config]);
    const c = await TestClient.connect(proc.port);
    await c.ok('/format json');
    await c.ok('/register alice correct horse battery', 'login');
    await c.next('history');
    for (let i = 1; i <= 40; i++) c.send(`queued ${i}`);
    await c.next((e) => e.type === 'message' && e.text === 'queued 40');
    await c.ok('/msg alice and a direct one', 'message');
    proc.signal('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(proc.output).toMatch(/shutdown: wrote the 41 queued message\(s\)/);
    const check = openDatabase(url);
    try {
      const rows: { text: string }[] = await check(MESSAGES).select('text').orderBy('id');
      expect(rows.map((r) => r.text)).toEqual([...Array.from({ length: 40 }, (_, i) => `queued ${i + 1}`), 'and a direct one']);
    } finally {
      await check.destroy();
    }
  }, 40_000);
});
