/** `1 session`, `3 sessions`: a count with its noun, for replies and notices. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A text cut to at most n characters (code points), ending in `…` when cut, for quoting input in a reply. */
export function clip(s: string, n: number): string {
  const chars = [...s];
  return chars.length > n ? `${chars.slice(0, n - 1).join('')}…` : s;
}
