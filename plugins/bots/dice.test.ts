import { describe, expect, it } from 'vitest';
import { formatDice, parseDice, rollDice, type Term } from './dice.js';

const limits = { maxDice: 100, maxSides: 1000 };
/** Dice that always show their highest face, then their lowest, alternating per die. */
const seq = (values: number[]) => { let i = 0; return (sides: number) => Math.min(sides, values[i++ % values.length]!); };

describe('dice notation', () => {
  it.each([
    ['2d6+1', '2d6+1'],
    ['d20', '1d20'],
    ['D20', '1d20'],
    ['4d6kh3', '4d6kh3'],
    ['2d20kl1', '2d20kl1'],
    ['2d20k1', '2d20kh1'],
    ['d%', '1d100'],
    ['1d8+1d6-2', '1d8+1d6-2'],
    ['-1d4', '-1d4'],
    ['5', '5'],
    ['2d6 + 3', '2d6+3'],
  ])('reads %s as %s', (expr, shown) => {
    const terms = parseDice(expr, limits);
    expect(typeof terms).not.toBe('string');
    expect(formatDice(terms as Term[])).toBe(shown);
  });

  it.each([
    ['2x6', /can't read "2x6"/],
    ['2d6++1', /can't read/],
    ['0d6', /at least one die/],
    ['2d1', /at least 2 sides/],
    ['1d1001', /at most 1000 sides/],
    ['101d6', /101 dice; at most 100/],
    ['60d6+60d6', /120 dice/],
    ['4d6kh5', /keep between 1 and 4/],
    ['4d6kh0', /keep between 1 and 4/],
    ['1d6+2000000', /too big/],
    ['1+'.repeat(21) + '1', /at most 20 terms/],
    ['9'.repeat(200), /too long/],
    ['', /no dice/],
  ])('refuses %s', (expr, error) => {
    expect(parseDice(expr, limits)).toMatch(error);
  });

  it('rolls and adds, showing each die and the dropped ones in parentheses', () => {
    expect(rollDice(parseDice('2d6+1', limits) as Term[], seq([3, 5]), 20)).toEqual({ total: 9, detail: '[3, 5] + 1' });
    expect(rollDice(parseDice('4d6kh3', limits) as Term[], seq([2, 6, 1, 4]), 20)).toEqual({ total: 12, detail: '[2, 6, (1), 4]' });
    expect(rollDice(parseDice('2d20kl1', limits) as Term[], seq([15, 7]), 20)).toEqual({ total: 7, detail: '[(15), 7]' });
    expect(rollDice(parseDice('1d8-1d4-2', limits) as Term[], seq([8, 4]), 20)).toEqual({ total: 2, detail: '[8] - [4] - 2' });
    // Past showDice dice, only the sums.
    expect(rollDice(parseDice('30d6+2', limits) as Term[], seq([1]), 20)).toEqual({ total: 32, detail: '30 + 2' });
  });

  it('stays within the faces over many rolls with a real random source', async () => {
    const { randomInt } = await import('node:crypto');
    const terms = parseDice('100d6', limits) as Term[];
    for (let i = 0; i < 50; i++) {
      const { total } = rollDice(terms, (n) => randomInt(1, n + 1), 20);
      expect(total).toBeGreaterThanOrEqual(100);
      expect(total).toBeLessThanOrEqual(600);
    }
  });
});

describe('dice properties', () => {
  it('any accepted expression rolls within its bounds, and reads back the same from its written form', async () => {
    const fc = (await import('fast-check')).default;
    const term = fc.oneof(
      fc.record({ count: fc.integer({ min: 1, max: 12 }), sides: fc.integer({ min: 2, max: 120 }), keep: fc.option(fc.integer({ min: 1, max: 12 })) })
        .map(({ count, sides, keep }) => `${count}d${sides}${keep !== null && keep <= count ? `kh${keep}` : ''}`),
      fc.integer({ min: 0, max: 1000 }).map(String),
    );
    const expr = fc.tuple(term, fc.array(fc.tuple(fc.constantFrom('+', '-'), term), { maxLength: 4 }))
      .map(([first, rest]) => first + rest.map(([op, t]) => op + t).join(''));
    fc.assert(fc.property(expr, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (text, seed) => {
      const terms = parseDice(text, limits);
      if (typeof terms === 'string') return; // over the dice limit: refused, that is fine
      expect(parseDice(formatDice(terms), limits)).toEqual(terms);
      let min = 0;
      let max = 0;
      for (const t of terms) {
        const [lo, hi] = t.kind === 'const' ? [t.value, t.value] : [t.keep?.n ?? t.count, (t.keep?.n ?? t.count) * t.sides];
        if (t.sign > 0) { min += lo; max += hi; } else { min -= hi; max -= lo; }
      }
      let s = seed;
      const rng = (n: number) => { s = (s * 1103515245 + 12345) % 2 ** 31; return 1 + (s % n); };
      const { total } = rollDice(terms, rng, 20);
      expect(total).toBeGreaterThanOrEqual(min);
      expect(total).toBeLessThanOrEqual(max);
    }), { numRuns: 300 });
  });
});
