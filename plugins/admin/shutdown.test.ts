import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { ServerProcess, TestClient, databaseKinds, PASSWORD } from '../../core/testing/index.js';
import { prepare } from './testing.js';

let proc: ServerProcess | undefined;
let dir: string | undefined;
let drop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await proc?.kill();
  proc = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  await drop?.();
  dir = undefined;
  drop = undefined;
});

async function client(port: number, line: string): Promise<TestClient> {
  const c = await TestClient.connect(port);
  await c.ok('/format json');
  await c.ok(line, 'login');
  return c;
}

describe.each(databaseKinds())('/shutdown on a real process (%s)', (db) => {
  it('counts down each second, sends shutdown to all, closes every connection, exits 0; the last messages are there after a restart', async () => {
    const prepared = await prepare(db);
    ({ dir, drop } = prepared);
    proc = await ServerProcess.start(['--config', prepared.configFile]);
    const root = await client(proc.port, `/login root ${PASSWORD}`);
    const bob = await client(proc.port, `/register bob ${PASSWORD}`);
    await bob.next('history');
    await root.next((e) => e.type === 'join' && e.user === 'bob');
    const anon = await TestClient.connect(proc.port);
    await anon.line(/Whiskr/);
    // The last messages before the shutdown: written by the history flush at shutdown at the latest.
    for (let i = 1; i <= 20; i++) await bob.ok(`last words ${i}`, 'message');

    await bob.fails('/shutdown 2', 'NOT_ALLOWED');
    const started = Date.now();
    expect((await root.ok('/shutdown 2')).text).toBe('Shutting down in 2 seconds.');
    const n2 = await bob.next('notice');
    expect(n2).toEqual({ type: 'notice', from: 'server', text: 'The server shuts down in 2 seconds (by root).' });
    expect((await bob.next('notice')).text).toBe('The server shuts down in 1 second (by root).');
    expect(await bob.next('shutdown')).toEqual({ type: 'shutdown', text: 'Shut down by root.' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    await anon.line(/\* \[server\] The server shuts down in 1 second/);
    await anon.line(/\* Server shutting down: Shut down by root\./);
    await Promise.all([root.waitClosed(), bob.waitClosed(), anon.waitClosed()]);
    expect(await proc.exited).toBe(0);
    expect(proc.output).toMatch(/stopped/);

    // Again: everything said is in the history, and SIGTERM shuts down at once (no countdown), also exit 0.
    proc = await ServerProcess.start(['--config', prepared.configFile]);
    const bob2 = await client(proc.port, `/login bob ${PASSWORD}`);
    const replay = await bob2.next('history');
    expect(replay.messages.slice(-3).map((m: { text: string }) => m.text)).toEqual(['last words 18', 'last words 19', 'last words 20']);
    const root2 = await client(proc.port, `/login root ${PASSWORD}`);
    const audit = await root2.ok('/audit', 'audit');
    expect(audit.entries.map((e: { action: string; detail: string }) => `${e.action} ${e.detail}`)).toEqual(['shutdown in 2s']);
    proc.signal('SIGTERM');
    expect(await bob2.next('shutdown')).toEqual({ type: 'shutdown', text: 'The server is shutting down.' });
    expect(bob2.events.some((e) => e.type === 'notice')).toBe(false);
    expect(await proc.exited).toBe(0);
  });
});

describe('/shutdown on a real process: cancel and refusals', () => {
  it('/shutdown cancel stops a countdown; /kill is the same command; bad counts are refused', async () => {
    const prepared = await prepare();
    dir = prepared.dir;
    proc = await ServerProcess.start(['--config', prepared.configFile]);
    const root = await client(proc.port, `/login root ${PASSWORD}`);
    await root.fails('/shutdown soon', 'BAD_ARGUMENTS');
    await root.fails('/shutdown 3601', 'BAD_ARGUMENTS');
    await root.fails('/shutdown cancel', 'BAD_ARGUMENTS');
    root.send('/kill 30');
    expect(await root.next('ok')).toMatchObject({ command: 'shutdown', text: 'Shutting down in 30 seconds.' });
    expect((await root.fails('/shutdown 5', 'NOT_ALLOWED')).text).toMatch(/root has already started a shutdown/);
    expect((await root.ok('/shutdown cancel')).text).toBe('Shutdown cancelled.');
    expect(root.events).toContainEqual({ type: 'notice', from: 'server', text: 'The shutdown was cancelled by root.' });
    await root.ok('/shutdown 0');
    expect(await root.next('shutdown')).toEqual({ type: 'shutdown', text: 'Shut down by root.' });
    expect(await proc.exited).toBe(0);
  });
});
