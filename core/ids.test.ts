import { describe, expect, it } from 'vitest';
import { IdGenerator, idTime } from './ids.js';

describe('IdGenerator', () => {
  it('issues unique ids that sort as strings in issue order, even within one millisecond', () => {
    const gen = new IdGenerator(() => 1_700_000_000_000);
    const ids = Array.from({ length: 5000 }, () => gen.next());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(idTime(ids[0]!)).toBe(1_700_000_000_000);
  });

  it('never goes back when the clock does, or after a restart seeded with the newest id', () => {
    let now = 2_000_000;
    const gen = new IdGenerator(() => now);
    const a = gen.next();
    now -= 1000;
    const b = gen.next();
    expect(b > a).toBe(true);
    const restarted = new IdGenerator(() => now - 5000);
    restarted.seed(b);
    expect(restarted.next() > b).toBe(true);
  });
});
