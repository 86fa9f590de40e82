import { describe, expect, it } from 'vitest';
import { TokenBucket } from './flood.js';

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
