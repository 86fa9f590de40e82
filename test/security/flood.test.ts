import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Session } from '../../core/session.js';
import { defineCommand } from '../../core/index.js';
import { TestServer, type TestClient, eventually, median, pingMs } from '../../core/testing/index.js';

/**
 * Flood control that hurts legitimate users least: a pasted block goes through, then lines are delayed
 * (fakelag) rather than refused, RATE_LIMITED only when the bounded queue is full, disconnection only for
 * sustained abuse, and other users' round trips stay fast meanwhile.
 */


describe('flood control over TCP', () => {
  let server: TestServer | undefined;
  afterEach(async () => { await server?.stop(); server = undefined; });

  const pongs = (c: TestClient) => c.events.filter((e) => e.type === 'pong');
  const limited = (c: TestClient) => c.events.filter((e) => e.type === 'error' && e.code === 'RATE_LIMITED');

  it('lets a pasted block through at once, then delays the rest at the steady rate without refusing any', async () => {
    server = await TestServer.start({ config: { flood: { enabled: true, burst: 10, linesPerSecond: 20, maxQueuedLines: 50 } } });
    const c = await server.json();
    // /format json took one token: refill it so the burst is whole.
    await new Promise((r) => setTimeout(r, 60));
    const session = [...server.server.sessions][0]!;
    const start = performance.now();
    c.write(Array.from({ length: 20 }, (_, i) => `/ping ${i}\n`).join(''));
    await c.until(() => (pongs(c).length >= 10 ? true : undefined), 'the burst');
    // When the burst has been answered, most of the rest is still waiting its turn.
    expect(server.server.queuedInput(session)).toBeGreaterThanOrEqual(5);
    await c.until(() => (pongs(c).length === 20 ? true : undefined), 'all 20 pongs');
    const elapsed = performance.now() - start;
    // 10 lines beyond the burst at 20 lines/s cannot take less than ~450 ms; nothing was refused.
    expect(elapsed).toBeGreaterThanOrEqual(440);
    expect(elapsed).toBeLessThan(5000);
    expect(pongs(c).map((e) => e.token)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    expect(limited(c)).toHaveLength(0);
  });

  it('answers RATE_LIMITED only for lines that find the queue full; every line gets exactly one reply', async () => {
    server = await TestServer.start({ config: { flood: { enabled: true, burst: 5, linesPerSecond: 50, maxQueuedLines: 20, maxRefusedPerMinute: 100 } } });
    const c = await server.json();
    c.write(Array.from({ length: 40 }, (_, i) => `/ping ${i}\n`).join(''));
    await c.until(() => (pongs(c).length + limited(c).length === 40 ? true : undefined), '40 replies');
    expect(limited(c).length).toBeGreaterThan(0);
    // Each refusal names the command it refused, as the line's own reply would have.
    expect(limited(c).every((e) => e.command === 'ping')).toBe(true);
    // The queue held at most maxQueuedLines (+1 running): the answered ones are the first 20 or 21, in order.
    const answered = pongs(c).map((e) => Number(e.token));
    expect(answered.length).toBeGreaterThanOrEqual(20);
    expect(answered).toEqual(Array.from({ length: answered.length }, (_, i) => i));
    expect(c.closed).toBe(false);
    // Once the queue has drained, lines are accepted again.
    c.send('/ping later');
    await c.next((e) => e.type === 'pong' && e.token === 'later');
    expect(pongs(c).length + limited(c).length).toBe(41);
  });

  it('disconnects a session that keeps flooding past maxRefusedPerMinute, and others stay', async () => {
    server = await TestServer.start({ config: { flood: { enabled: true, burst: 5, linesPerSecond: 5, maxQueuedLines: 10, maxRefusedPerMinute: 20 } } });
    const other = await server.json();
    const c = await server.json();
    c.write('/ping flood\n'.repeat(500));
    await c.waitClosed();
    expect(c.lines.some((l) => l.includes('Too many lines; disconnecting.'))).toBe(true);
    expect(limited(c).length).toBe(21);
    expect(server.server.sessions.size).toBe(1);
    expect(await other.request('/ping fine', 'pong')).toMatchObject({ token: 'fine' });
  });

  it("keeps others' round trips fast while ten clients flood", async () => {
    server = await TestServer.start({ config: { flood: { enabled: true, burst: 200, linesPerSecond: 100, maxQueuedLines: 200, maxRefusedPerMinute: 1_000_000 } } });
    const victim = await server.json();
    // Every line the server answers goes through Session.write: count the flood's (not the victim's).
    let answered = 0;
    const write = Session.prototype.write;
    Session.prototype.write = function (this: Session, data: string) { if (this.format === 'json') answered++; return write.call(this, data); };
    const flooded = () => answered;
    const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!;
    const baseline: number[] = [];
    // Samples spread over a second, so that the flood (blocks every 10 ms) is on while they are taken.
    const sample = async (into: number[], name: string) => {
      for (let i = 0; i < 50; i++) {
        into.push(await pingMs(victim, `${name}${i}`));
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    await sample(baseline, 'base');
    // The flood comes from another process, as it would: its own cost is not on the server's event loop.
    const flooder = spawn(process.execPath, [fileURLToPath(new URL('./flooder.mjs', import.meta.url)), String(server.port), '10'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    flooder.stdout.on('data', (d) => { out += d; });
    try {
      await eventually(() => out.includes('refused'), 'every flooder to be refused', 10_000);
      const during: number[] = [];
      const lines0 = flooded();
      await sample(during, 'during');
      const linesDuring = flooded() - lines0;
      const base = median(baseline);
      const load = median(during);
      console.log(`ping round trip: baseline median ${base.toFixed(2)} ms, during a 10-connection flood ${load.toFixed(2)} ms `
        + `(p90 ${p90(baseline).toFixed(2)} → ${p90(during).toFixed(2)} ms; ${linesDuring} flood lines answered meanwhile)`);
      expect(linesDuring).toBeGreaterThan(10_000);
      // Generous: the flood costs CPU, but a round trip stays within a small multiple of the baseline.
      expect(load).toBeLessThan(Math.max(base * 20, base + 50));
      expect(out).not.toContain('closed');
      expect(server.server.sessions.size).toBe(11);
    } finally {
      flooder.kill('SIGKILL');
      Session.prototype.write = write;
    }
  });

  it("drops a closed session's queued lines: none of them runs after closeSession", async () => {
    server = await TestServer.start({ config: { flood: { enabled: true, burst: 2, linesPerSecond: 50, maxQueuedLines: 50 } } });
    let ran = 0;
    server.server.commands.add(defineCommand({ name: 'mark', usage: '/mark', summary: 'count', access: 'anyone', run: () => { ran++; } }), 'test');
    const c = await server.json(); // /format took one token
    const session = [...server.server.sessions][0]!;
    c.write('/mark\n'.repeat(20));
    await eventually(() => ran >= 1, 'the burst to run');
    const before = ran;
    expect(server.server.queuedInput(session)).toBeGreaterThan(10);
    server.server.closeSession(session, 'kicked');
    expect(server.server.queuedInput(session)).toBe(0);
    // The queued lines would all have run within 20 / 50 s: wait that long, then check none did.
    await new Promise((r) => setTimeout(r, 500));
    expect(ran).toBe(before);
  });
});
