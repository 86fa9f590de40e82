import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { ServerProcess, TestClient, TestServer, closed, eventually, rawSocket } from '../../core/testing/index.js';

/**
 * Closing connections whose peer does not read: a closed session's socket is cut after
 * `server.closeGraceSeconds` and holds its slot (per address and in all) until it is really closed.
 */
let server: TestServer | undefined;
let proc: ServerProcess | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.stop();
  server = undefined;
  await proc?.kill();
  proc = undefined;
});

/** A connection that never reads: it asks for output, quits, and keeps its end open. */
async function quitWithoutReading(port: number): Promise<Socket> {
  const s = await rawSocket(port);
  sockets.push(s);
  s.pause();
  s.on('error', () => {});
  s.write('/help\n'.repeat(20) + '/quit\n');
  return s;
}

/** The first line a new connection gets (the welcome, or a refusal), read to the end. */
async function firstLine(port: number): Promise<string> {
  const s = await rawSocket(port);
  sockets.push(s);
  s.setEncoding('utf8');
  let text = '';
  s.on('data', (d: string) => { text += d; });
  await eventually(() => text.includes('\n') || s.destroyed, 'a first line');
  return text.split('\n')[0]!;
}

describe('a closed session whose peer does not read', () => {
  it('holds its slot while closing and is cut after the grace period, so the caps hold', async () => {
    server = await TestServer.start({
      config: { server: { limitLoopback: true, maxConnectionsPerAddress: 5, maxConnections: 50, closeGraceSeconds: 0.5 } },
    });
    const five = await Promise.all(Array.from({ length: 5 }, () => quitWithoutReading(server!.port)));
    await eventually(() => server!.server.sessions.size === 0, 'the five sessions to quit');
    // Their sockets are still open (the peers read nothing): they still count against the cap.
    expect(await firstLine(server.port)).toBe('! RATE_LIMITED: Too many connections from 127.0.0.1.');
    expect(server.server.connections).toBe(5);
    // After the grace period they are cut, and their slots are free again.
    await eventually(() => server!.server.connections === 0, 'the closing sockets to be cut', 3_000);
    expect(await firstLine(server.port)).toMatch(/^\* Whiskr/);
    for (const s of five) { s.resume(); await closed(s); }
  });

  it('counts closing sockets against maxConnections too', async () => {
    server = await TestServer.start({ config: { server: { maxConnections: 3, closeGraceSeconds: 0.5 } } });
    await Promise.all(Array.from({ length: 3 }, () => quitWithoutReading(server!.port)));
    await eventually(() => server!.server.sessions.size === 0, 'the sessions to quit');
    expect(await firstLine(server.port)).toBe('! RATE_LIMITED: The server is full; try again later.');
    await eventually(() => server!.server.connections === 0, 'the closing sockets to be cut', 3_000);
    expect(await firstLine(server.port)).toMatch(/^\* Whiskr/);
  });

  it('cuts a logged-in reader that stopped reading a large reply, then quit', async () => {
    server = await TestServer.start({ config: { server: { closeGraceSeconds: 0.3 } }, plugins: { auth: {}, channels: {}, history: {} } });
    const alice = await server.user('alice');
    for (let i = 0; i < 60; i++) alice.send(`/msg #general ${'x'.repeat(3000)} ${i}`);
    await alice.sync();
    const reader = await TestClient.connect(server.port);
    server.clients.push(reader);
    await reader.line(/Whiskr/);
    reader.send('/format json');
    await reader.ok('/login alice correct horse battery', 'login');
    reader.socket.pause();
    for (let i = 0; i < 20; i++) reader.send('/history #general 60');
    reader.send('/quit');
    await eventually(() => server!.server.sessionsOf('alice').size === 1, 'the reader to quit');
    await eventually(() => server!.server.connections === 1, 'its socket to be cut', 3_000);
  });
});

describe('running out of file descriptors', () => {
  it('refuses connections it has no descriptors for, logs it once per interval, and keeps serving', async (ctx) => {
    // Linux (/proc) with util-linux's prlimit, to lower a running process's limit.
    try { execFileSync('prlimit', ['--version'], { stdio: 'ignore' }); } catch { return ctx.skip(); }
    proc = await ServerProcess.start(['--database', 'sqlite::memory:']);
    // Started: now its descriptor table gets room for a few dozen more (past it, libuv silently closes new connections).
    const pid = proc.child.pid!;
    const limit = readdirSync(`/proc/${pid}/fd`).length + 40;
    execFileSync('prlimit', ['--pid', String(pid), `--nofile=${limit}:${limit}`]);
    let served = 0;
    const refusals: string[] = [];
    for (let i = 0; i < 60 && refusals.length < 5; i++) {
      const line = await firstLine(proc.port);
      if (/^\* Whiskr/.test(line)) served++; else refusals.push(line);
    }
    expect(served).toBeGreaterThan(0);
    expect(refusals[0]).toBe('! RATE_LIMITED: The server is full; try again later.');
    expect(refusals).toHaveLength(5);
    await proc.waitFor(/cannot take connections: the file descriptor limit allows \d+ connections/);
    expect(proc.output.match(/cannot take connections/g)).toHaveLength(1);
    // Once the others leave, newcomers are served.
    for (const s of sockets.splice(0)) s.destroy();
    let c: TestClient | undefined;
    for (let i = 0; i < 50 && !c; i++) {
      const attempt = await TestClient.connect(proc.port);
      await attempt.line(/Whiskr|RATE_LIMITED/);
      if (attempt.lines.some((l) => l.includes('Whiskr'))) c = attempt; else attempt.close();
    }
    if (!c) throw new Error('no connection was served after the others left');
    c.send('/ping back');
    await c.line(/^\* pong back$/);
    c.close();
  });
});
