import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputQueue, type InputItem, type InputLimits } from './input.js';
import type { Session } from './session.js';

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
