import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerProcess, TestServer } from './testing/index.js';

const procs: ServerProcess[] = [];
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) await p.kill();
  for (const c of cleanups.splice(0).reverse()) await c();
});

// SQLite only: a MySQL database is shared over the network by design, and has no file to lock.
describe('two servers on one SQLite file', () => {
  it('the second refuses to start, saying why; a killed server leaves no stale lock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'whiskr-lock-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'chat.sqlite');
    const config = join(dir, 'whiskr.json');
    writeFileSync(config, JSON.stringify({ database: { url: `sqlite:${file}` }, plugins: { auth: { scryptN: 1024 }, channels: {}, history: {} } }));
    const first = await ServerProcess.start(['--config', config]);
    procs.push(first);

    const refused = await ServerProcess.start(['--config', config]).then(() => 'started', (err: Error) => err.message);
    expect(refused).toMatch(/could not start: Another Whiskr server is already using .*chat\.sqlite/);
    expect(refused).not.toMatch(/\bat lockSqliteDatabase/);
    // In the same process too (a second Server object on the file).
    await expect(TestServer.start({ databaseUrl: `sqlite:${file}`, plugins: { auth: {} } })).rejects.toThrow(/already using/);

    first.signal('SIGKILL');
    await first.exited;
    const second = await ServerProcess.start(['--config', config]);
    procs.push(second);
    second.signal('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);
});
