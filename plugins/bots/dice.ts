/**
 * Dice notation, parsed and rolled by pure functions: `2d6+1`, `d20`, `4d6kh3` (keep the highest 3),
 * `2d20kl1` (keep the lowest), `d%` (a d100), `1d8+1d6-2`. Bounded so a roll is always small work.
 */

export interface DiceTerm {
  kind: 'dice';
  sign: 1 | -1;
  count: number;
  sides: number;
  keep?: { which: 'highest' | 'lowest'; n: number };
}
export interface ConstTerm { kind: 'const'; sign: 1 | -1; value: number }
export type Term = DiceTerm | ConstTerm;

export interface DiceLimits { maxDice: number; maxSides: number }

const MAX_TERMS = 20;
const MAX_CONST = 1_000_000;
const TERM = /^([+-])?(?:(\d*)d(\d+|%)(?:(kh|kl|k)(\d+))?|(\d+))/i;

/** The terms of an expression, or an error message saying what is wrong with it. */
export function parseDice(expr: string, limits: DiceLimits): Term[] | string {
  const text = expr.replace(/\s+/g, '');
  if (text === '') return 'no dice given';
  if (text.length > 100) return 'that expression is too long';
  const terms: Term[] = [];
  let rest = text;
  while (rest !== '') {
    const m = TERM.exec(rest);
    if (!m || (terms.length > 0 && !m[1])) return `I can't read "${text.slice(0, 30)}" as dice${rest !== text ? ` (stuck at "${rest.slice(0, 10)}")` : ''}; write dice like 2d6+1, d20 or 4d6kh3`;
    const sign = m[1] === '-' ? -1 : 1;
    if (m[6] !== undefined) {
      const value = Number(m[6]);
      if (value > MAX_CONST) return `${value} is too big a number (at most ${MAX_CONST})`;
      terms.push({ kind: 'const', sign, value });
    } else {
      const count = m[2] === '' || m[2] === undefined ? 1 : Number(m[2]);
      const sides = m[3] === '%' ? 100 : Number(m[3]);
      if (count < 1) return 'roll at least one die';
      if (sides < 2) return 'a die needs at least 2 sides';
      if (sides > limits.maxSides) return `dice have at most ${limits.maxSides} sides here`;
      const term: DiceTerm = { kind: 'dice', sign, count, sides };
      if (m[4] !== undefined) {
        const n = Number(m[5]);
        if (n < 1 || n > count) return `you can keep between 1 and ${count} of ${count}d${sides}`;
        term.keep = { which: m[4].toLowerCase() === 'kl' ? 'lowest' : 'highest', n };
      }
      terms.push(term);
    }
    rest = rest.slice(m[0].length);
    if (terms.length > MAX_TERMS) return `at most ${MAX_TERMS} terms`;
  }
  const dice = terms.reduce((n, t) => n + (t.kind === 'dice' ? t.count : 0), 0);
  if (dice > limits.maxDice) return `that's ${dice} dice; at most ${limits.maxDice} at once`;
  return terms;
}

/** A random whole number from 1 to sides. */
export type Rng = (sides: number) => number;

export interface Roll { total: number; detail: string }

/** Roll the terms: the total and how it came about (`[3, 5] + 1`, dropped dice in parentheses). */
export function rollDice(terms: Term[], rng: Rng, showDice: number): Roll {
  let total = 0;
  const shown = terms.reduce((n, t) => n + (t.kind === 'dice' ? t.count : 0), 0) <= showDice;
  const parts: string[] = [];
  for (const [i, t] of terms.entries()) {
    const op = i === 0 ? (t.sign < 0 ? '-' : '') : t.sign < 0 ? ' - ' : ' + ';
    if (t.kind === 'const') {
      total += t.sign * t.value;
      parts.push(`${op}${t.value}`);
      continue;
    }
    const rolls = Array.from({ length: t.count }, () => rng(t.sides));
    const kept = new Set<number>(rolls.map((_, j) => j));
    if (t.keep) {
      const order = rolls.map((v, j) => ({ v, j })).sort((a, b) => (t.keep!.which === 'highest' ? b.v - a.v : a.v - b.v));
      kept.clear();
      for (const { j } of order.slice(0, t.keep.n)) kept.add(j);
    }
    const sum = rolls.reduce((s, v, j) => s + (kept.has(j) ? v : 0), 0);
    total += t.sign * sum;
    parts.push(`${op}${shown ? `[${rolls.map((v, j) => (kept.has(j) ? String(v) : `(${v})`)).join(', ')}]` : String(sum)}`);
  }
  return { total, detail: parts.join('') };
}

/** The expression written back in a standard form (`d20` → `1d20`). */
export function formatDice(terms: Term[]): string {
  return terms.map((t, i) => {
    const op = t.sign < 0 ? '-' : i === 0 ? '' : '+';
    if (t.kind === 'const') return `${op}${t.value}`;
    const keep = t.keep ? `${t.keep.which === 'highest' ? 'kh' : 'kl'}${t.keep.n}` : '';
    return `${op}${t.count}d${t.sides}${keep}`;
  }).join('');
}
