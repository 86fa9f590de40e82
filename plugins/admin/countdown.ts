/**
 * When a /shutdown countdown speaks: at its start, then at these many seconds left (a long countdown does
 * not send a notice every second for ten minutes).
 */
export const ANNOUNCE_AT = [3600, 1800, 900, 600, 300, 60, 30, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1];

/** Whether a countdown that started with `total` seconds announces when `left` seconds remain. */
export function announces(total: number, left: number): boolean {
  return left > 0 && (left === total || (left < total && ANNOUNCE_AT.includes(left)));
}

/** `10 minutes`, `1 minute 30 seconds`, `1 second`. */
export function spell(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (m === 0) return unit(s, 'second');
  return s === 0 ? unit(m, 'minute') : `${unit(m, 'minute')} ${unit(s, 'second')}`;
}
