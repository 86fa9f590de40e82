import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../core/index.js';
import { createTestDatabase, databaseKinds, ServerProcess, TestClient, TestServer, median, pingMs, rawSocket, PASSWORD } from '../../core/testing/index.js';
import { MESSAGES } from '../../plugins/history/migrations.js';
import '../../plugins/auth/api.js';

/** README "What the server guarantees": the bullets no other test covered (see README.md here for the map). */
let proc: ServerProcess | undefined;
let server: TestServer | undefined;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  await proc?.kill();
  proc = undefined;
  await server?.stop();
  server = undefined;
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe.each(databaseKinds())('a clean stop by SIGINT (%s)', (db) => {
  it('keeps every acknowledged message: Ctrl-C writes what was queued, then exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'whiskr-sigint-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    let url = `sqlite:${join(dir, 'db.sqlite')}`;
    if (db === 'mysql') {
      const created = await createTestDatabase('mysql');
      cleanups.push(() => created.drop());
      url = created.url;
    }
    const config = join(dir, 'whiskr.json');
    // A flush window far longer than the test: what was said is still queued when the signal comes.
    writeFileSync(config, JSON.stringify({
      database: { url }, flood: { enabled: false },
      plugins: { auth: { scryptN: 1024 }, history: { flushIntervalMs: 600_000 }, channels: {} },
    }));
    proc = await ServerProcess.start(['--config', config]);
    const c = await TestClient.connect(proc.port);
    await c.ok('/format json');
    await c.ok(`/register alice ${PASSWORD}`, 'login');
    await c.next('history');
    const texts = Array.from({ length: 12 }, (_, i) => `said ${i + 1}`);
    for (const t of texts) await c.ok(t, 'message', (e) => e.text === t);
    proc.signal('SIGINT');
    expect(await proc.exited).toBe(0);
    const check = openDatabase(url);
    try {
      const rows: { text: string }[] = await check(MESSAGES).select('text').orderBy('id');
      expect(rows.map((r) => r.text)).toEqual(texts);
    } finally {
      await check.destroy();
    }
  }, 40_000);
});

describe('a hundred clients logging in at once', () => {
  it('cost the chat of those already in a few ms of latency', async () => {
    server = await TestServer.start({ plugins: { auth: {}, channels: {} } });
    const auth = server.server.service('auth')!;
    const names = Array.from({ length: 100 }, (_, i) => `storm${i}`);
    for (const n of names) await auth.createUser(n, PASSWORD);
    const victim = await server.user('victim', PASSWORD);
    await victim.next('history');
    /** Round trips, at least 40 and until `until` holds (bounded). */
    const sample = async (name: string, until = () => true) => {
      const xs: number[] = [];
      const deadline = Date.now() + 20_000;
      while ((xs.length < 40 || !until()) && Date.now() < deadline) {
        xs.push(await pingMs(victim, `${name}${xs.length}`));
        await new Promise((r) => setTimeout(r, 5)); // spread over the storm, not a flood of its own
      }
      return xs;
    };
    const before = await sample('before');
    // The hundred connect and log in all at once (raw sockets: their replies are not parsed here).
    const sockets = await Promise.all(names.map(() => rawSocket(server!.port)));
    let logins = 0;
    for (const [i, s] of sockets.entries()) {
      s.on('data', (d) => { logins += (String(d).match(/"type":"login"/g) ?? []).length; });
      s.write(`/format json\n/login ${names[i]} ${PASSWORD}\n`);
    }
    const during = await sample('during', () => logins === names.length);
    const loggedInDuring = logins;
    for (const s of sockets) s.destroy();
    const p90 = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length * 0.9)]!;
    console.log(`ping while 100 log in (${during.length} pings): median ${median(before).toFixed(2)} → ${median(during).toFixed(2)} ms, `
      + `p90 ${p90(before).toFixed(2)} → ${p90(during).toFixed(2)} ms, worst ${Math.max(...during).toFixed(1)} ms`);
    expect(loggedInDuring).toBe(names.length);
    // "A few ms": the storm adds less than 10 ms to nine round trips in ten.
    expect(p90(during) - p90(before)).toBeLessThan(10);
  });
});
