import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.js';

/** A limiter on a hand-moved clock. */
function limiter(count: number, windowMs: number, maxKeys?: number) {
  let now = 1_000;
  const l = new RateLimiter(() => ({ count, windowMs }), () => now, maxKeys);
  return { l, advance: (ms: number) => { now += ms; } };
}

describe('RateLimiter', () => {
  it('take(): count events a window allows, warns once, then refuses silently until the window passes', () => {
    const { l, advance } = limiter(2, 1_000);
    expect(l.take('a')).toEqual({ ok: true });
    advance(100);
    expect(l.take('a')).toEqual({ ok: true });
    expect(l.take('a')).toEqual({ ok: false, warn: true, retryMs: 900 });
    expect(l.take('a')).toEqual({ ok: false, warn: false, retryMs: 900 });
    expect(l.take('b')).toEqual({ ok: true });
    advance(900);
    expect(l.take('a')).toEqual({ ok: true });
    expect(l.take('a')).toEqual({ ok: false, warn: true, retryMs: 100 });
  });

  it('record()/waitMs(): failures counted whether allowed or not, the wait from the oldest that still counts', () => {
    const { l, advance } = limiter(3, 10_000);
    for (let i = 0; i < 5; i++) { l.record('k'); advance(1_000); }
    expect(l.count('k')).toBe(3);
    // The failures at 2s, 3s, 4s count (only the newest `count` are kept); the oldest leaves at 12s; now is 5s.
    expect(l.waitMs('k')).toBe(7_000);
    expect(l.waitMs('other')).toBe(0);
    l.clear('k');
    expect(l.waitMs('k')).toBe(0);
  });

  it.each([
    ['take', (l: RateLimiter) => l.take('x')],
    ['record', (l: RateLimiter) => l.record('x')],
  ])('a count of 0 turns the limit off (%s)', (_name, use) => {
    const { l } = limiter(0, 1_000);
    for (let i = 0; i < 10; i++) use(l);
    expect(l.waitMs('x')).toBe(0);
    expect(l.size).toBe(0);
  });

  it('stays bounded: idle keys are swept, and past maxKeys the least recently used goes', () => {
    const { l, advance } = limiter(1, 10, 100);
    for (let i = 0; i < 300; i++) { l.take(`u${i}`); advance(100); }
    expect(l.size).toBeLessThan(100);
    const busy = limiter(5, 60_000, 100);
    for (let i = 0; i < 300; i++) busy.l.record(`u${i}`);
    expect(busy.l.size).toBe(100);
    expect(busy.l.count('u0')).toBe(0);
    expect(busy.l.count('u299')).toBe(1);
    busy.advance(60_000);
    busy.l.sweep();
    expect(busy.l.size).toBe(0);
  });
});

describe('RateLimiter (the bot runner\'s use)', () => {
  it('forgets idle keys', () => {
    let now = 0;
    const l = new RateLimiter(() => ({ count: 1, windowMs: 10 }), () => now);
    for (let i = 0; i < 300; i++) { now = i * 100; l.take(`u${i}`); }
    expect(l.size).toBeLessThan(260);
  });
});
