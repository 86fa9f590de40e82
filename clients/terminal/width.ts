/**
 * How many terminal columns text takes, as terminals draw it (measured in tmux 3.3, xterm and VTE agree):
 * East Asian Wide and Fullwidth characters and emoji with emoji presentation take two; combining marks,
 * variation selectors, zero-width and format characters take none; everything else one. A compact table
 * of our own rather than a dependency: blessed's table (Unicode 6) calls every emoji one column wide, and
 * the few ranges below are all the client needs.
 *
 * Not covered: a ZWJ sequence (👩‍💻) is drawn joined by some terminals and as its parts by others, so
 * the client removes the joiner from what it paints (format.ts) and shows the parts, each measured.
 * Regional indicators are one column each, as tmux draws them.
 */

/** East Asian Wide (W) and Fullwidth (F) ranges that are not emoji, from Unicode 15's EastAsianWidth.txt, merged. */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x2329, 0x232a], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff],
  [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f],
  [0xff00, 0xff60], [0xffe0, 0xffe6], [0x16fe0, 0x16fe4], [0x17000, 0x18cff], [0x1aff0, 0x1b2ff],
  [0x1f200, 0x1f265], [0x20000, 0x2fffd], [0x30000, 0x3fffd],
];

const ZERO = /^[\p{Mn}\p{Me}\p{Cf}\u1160-\u11ff\u200b-\u200f\ufe00-\ufe0f\u{e0100}-\u{e01ef}]$/u;
const EMOJI = /^\p{Emoji_Presentation}$/u;
const isRegionalIndicator = (cp: number) => cp >= 0x1f1e6 && cp <= 0x1f1ff;

function inWide(cp: number): boolean {
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = WIDE[mid]!;
    if (cp < a) hi = mid - 1; else if (cp > b) lo = mid + 1; else return true;
  }
  return false;
}

/** Columns one code point takes: 0, 1 or 2. Control characters take none (they are removed before painting). */
export function charWidth(cp: number): 0 | 1 | 2 {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp < 0x300) return 1;
  const ch = String.fromCodePoint(cp);
  if (ZERO.test(ch)) return 0;
  if (inWide(cp)) return 2;
  if (EMOJI.test(ch) && !isRegionalIndicator(cp)) return 2;
  return 1;
}

/** Columns a string takes. */
export function stringWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch.codePointAt(0)!);
  return w;
}

/** The longest start of `text` that fits in `width` columns (a wide character is never cut in half). */
export function sliceColumns(text: string, width: number): string {
  let w = 0;
  let end = 0;
  for (const ch of text) {
    const cw = charWidth(ch.codePointAt(0)!);
    if (w + cw > width) break;
    w += cw;
    end += ch.length;
  }
  return text.slice(0, end);
}

/** Every character that takes two columns, for blessed (which puts a placeholder cell after each). */
export const WIDE_CHAR = new RegExp(
  `((?![\\u{1f1e6}-\\u{1f1ff}])[${WIDE.map(([a, b]) => `\\u{${a.toString(16)}}-\\u{${b.toString(16)}}`).join('')}\\p{Emoji_Presentation}])`, 'gu');
