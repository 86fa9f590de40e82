import blessed from 'blessed';
import { charWidth, stringWidth, WIDE_CHAR } from '../width.js';

interface BlessedUnicode {
  charWidth: (str: string | number, i?: number) => number;
  strWidth: (str: string) => number;
  codePointAt: (str: string, i: number) => number;
  combining: Record<number, boolean>;
  chars: { all: RegExp };
}

let done = false;

/**
 * Teach blessed the terminal's widths (width.ts): it lays a wide character out as its cell plus a
 * placeholder cell (`chars.all`), draws it over both (`charWidth` = 2), and puts a zero-width character
 * in the cell before it (`combining`). Its own table is Unicode 6 and calls every emoji one column wide,
 * so the next character was eaten and the pane borders moved.
 */
export function useTerminalWidths(): void {
  if (done) return;
  done = true;
  const u = (blessed as unknown as { unicode: BlessedUnicode }).unicode;
  const original = u.charWidth;
  u.charWidth = (str, i) => {
    const cp = typeof str === 'number' ? str : u.codePointAt(str, i ?? 0);
    return cp === 0x09 ? original(str, i) : charWidth(cp);
  };
  u.strWidth = (str) => stringWidth(str);
  u.chars.all = WIDE_CHAR;
  u.combining = new Proxy({} as Record<number, boolean>, {
    get: (_t, key) => {
      const cp = typeof key === 'string' ? Number(key) : NaN;
      return cp >= 0x300 && charWidth(cp) === 0;
    },
  });
}
