/** `1 vote`, `2 votes`: a count and its word, plural unless the count is 1. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The text cut to n characters (code points, as limits are counted), ending in `…` when cut. */
export function clip(s: string, n: number): string {
  const chars = [...s];
  return chars.length > n ? `${chars.slice(0, n - 1).join('')}…` : s;
}

/** Length in characters (code points), as limits are counted. */
export function charLength(s: string): number {
  return [...s].length;
}
