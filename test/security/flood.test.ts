import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TokenBucket } from '../../core/flood.js';
import { InputQueue, type InputItem, type InputLimits } from '../../core/input.js';
import { Session } from '../../core/session.js';
import { defineCommand } from '../../core/index.js';
import { TestServer, type TestClient } from '../../core/testing/index.js';
import { eventually, median, pingMs } from './helpers.js';

/**
 * Flood control that hurts legitimate users least: a pasted block goes through, then lines are delayed
 * (fakelag) rather than refused, RATE_LIMITED only when the bounded queue is full, disconnection only for
 * sustained abuse, and other users' round trips stay fast meanwhile.
 */

describe('TokenBucket (pure arithmetic)', () => {
  // [what, burst, lines/s, times at which a line arrives, expected waits]
  const table: [string, number, number, number[], number[]][] = [
    ['a burst goes through at once', 3, 1, [0, 0, 0], [0, 0, 0]],
    ['the line after the burst waits one interval', 3, 1, [0, 0, 0, 0], [0, 0, 0, 1000]],
    ['tokens come back with time', 2, 2, [0, 0, 500, 500], [0, 0, 0, 500]],
    ['never more than the burst is saved up', 2, 10, [0, 10_000, 10_000, 10_000], [0, 0, 0, 100]],
    ['a steady rate at the limit is never delayed', 1, 4, [0, 250, 500, 750, 1000], [0, 0, 0, 0, 0]],
    ['time going backwards gives no tokens', 1, 1, [1000, 0], [0, 1000]],
  ];
  it.each(table)('%s', (_what, burst, linesPerSecond, times, waits) => {
    const b = new TokenBucket({ burst, linesPerSecond }, times[0]!);
    expect(times.map((t) => b.take(t))).toEqual(waits);
  });

  it('a waiting line does not take a token until it runs', () => {
    const b = new TokenBucket({ burst: 1, linesPerSecond: 1 }, 0);
    expect(b.take(0)).toBe(0);
    expect(b.take(0)).toBe(1000);
    expect(b.take(400)).toBe(600);
    expect(b.take(1000)).toBe(0);
  });
});

describe('InputQueue (injected time)', () => {
  afterEach(() => { vi.useRealTimers(); });

  function queue(limits: InputLimits) {
    vi.useFakeTimers();
    const session = { closed: false } as Session;
    const ran: string[] = [];
    const refused: string[] = [];
    const q = new InputQueue(session, limits, {
      now: () => Date.now(),
      run: async (_s, item: InputItem) => { if ('line' in item) ran.push(item.line); },
      refuse: (_s, kind) => { refused.push(kind); },
      deferred: () => false,
    });
    return { q, ran, refused, session };
  }
  const limits: InputLimits = { burst: 3, linesPerSecond: 10, maxQueuedLines: 5, maxRefusedPerMinute: 3 };

  it('runs the burst at once and the rest at the steady rate, in order', async () => {
    const { q, ran } = queue(limits);
    for (const l of ['a', 'b', 'c', 'd', 'e']) q.push({ line: l });
    await vi.advanceTimersByTimeAsync(0);
    expect(ran).toEqual(['a', 'b', 'c']);
    await vi.advanceTimersByTimeAsync(100);
    expect(ran).toEqual(['a', 'b', 'c', 'd']);
    await vi.advanceTimersByTimeAsync(100);
    expect(ran).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('refuses only when the queue is full, and reports abuse past maxRefusedPerMinute', async () => {
    const { q, ran, refused } = queue(limits);
    for (let i = 0; i < 3; i++) q.push({ line: `burst${i}` });
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 5; i++) q.push({ line: `wait${i}` });
    expect(refused).toEqual([]);
    q.push({ line: 'x1' });
    q.push({ line: 'x2' });
    q.push({ line: 'x3' });
    expect(refused).toEqual(['queue-full', 'queue-full', 'queue-full']);
    q.push({ line: 'x4' });
    expect(refused.at(-1)).toBe('abuse');
    await vi.advanceTimersByTimeAsync(1000);
    expect(ran).toEqual(['burst0', 'burst1', 'burst2', 'wait0', 'wait1', 'wait2', 'wait3', 'wait4']);
  });

  it('forgets refusals older than a minute', async () => {
    const { q, refused } = queue({ ...limits, burst: 1, linesPerSecond: 0.001, maxQueuedLines: 1 });
    q.push({ line: 'runs' });
    q.push({ line: 'waits' });
    for (let i = 0; i < 3; i++) q.push({ line: 'refused' });
    await vi.advanceTimersByTimeAsync(61_000);
    q.push({ line: 'refused again' });
    expect(refused).toEqual(['queue-full', 'queue-full', 'queue-full', 'queue-full']);
  });

  it('runs nothing that was queued once cleared (a kicked session), and nothing after close', async () => {
    const { q, ran, session } = queue(limits);
    for (let i = 0; i < 8; i++) q.push({ line: `l${i}` });
    await vi.advanceTimersByTimeAsync(0);
    expect(ran).toHaveLength(3);
    q.clear();
    session.closed = true;
    q.push({ line: 'after close' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ran).toEqual(['l0', 'l1', 'l2']);
    expect(q.length).toBe(0);
  });
});

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
