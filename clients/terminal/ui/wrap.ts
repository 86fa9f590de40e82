import type { Widgets } from 'blessed';
import { charWidth } from '../width.js';

/**
 * Word wrapping in terminal cells for a blessed box. blessed wraps by counting UTF-16 units, so a line of
 * emoji broke several columns early and its row count disagreed with ours. Here a line is cut by cells
 * as blessed lays them out (with `fullUnicode` a wide character is followed by a `\x03` placeholder cell,
 * a zero-width character shares the cell before it, escape codes take none), at a space where there is
 * one or after a wide character, never between a wide character and its placeholder.
 */
interface Token { text: string; cells: number; space: boolean }

const ESCAPE = /^\x1b\[[\d;]*m/;

function tokens(line: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < line.length;) {
    const esc = line[i] === '\x1b' ? ESCAPE.exec(line.slice(i)) : null;
    if (esc) { out.push({ text: esc[0], cells: 0, space: false }); i += esc[0].length; continue; }
    const cp = line.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    i += ch.length;
    const last = out[out.length - 1];
    // The placeholder after a wide character, and zero-width characters, stay with what they follow.
    if (last && last.cells > 0 && (cp === 0x03 || (cp >= 0x300 && charWidth(cp) === 0))) {
      last.text += ch;
      last.cells += cp === 0x03 ? 1 : 0;
      continue;
    }
    out.push({ text: ch, cells: 1, space: ch === ' ' });
  }
  return out;
}

/** One line (no newline) cut into rows of at most `width` cells. */
export function wrapCells(line: string, width: number): string[] {
  const w = Math.max(2, width);
  const rows: string[] = [];
  let row: Token[] = [];
  let cells = 0;
  for (const t of tokens(line)) {
    if (cells + t.cells > w && row.length > 0) {
      // After a space, or after a wide character (CJK and emoji may break anywhere).
      const afterSpace = row.map((r) => r.space || r.cells === 2).lastIndexOf(true) + 1;
      const cut = afterSpace > 0 && afterSpace < row.length ? afterSpace : row.length;
      rows.push(row.slice(0, cut).map((r) => r.text).join(''));
      row = row.slice(cut);
      cells = row.reduce((n, r) => n + r.cells, 0);
    }
    row.push(t);
    cells += t.cells;
  }
  const rest = row.map((r) => r.text).join('');
  // Escape codes alone at the end belong to the row before.
  if (rows.length > 0 && /^(?:\x1b\[[\d;]*m)*$/.test(rest)) rows[rows.length - 1] += rest;
  else rows.push(rest);
  return rows;
}

type Wrapped = string[] & { rtof: number[]; ftor: number[][]; fake: string[]; real: string[]; mwidth: number };

/** Make a box wrap its content with `wrapCells` (the same shape blessed's `_wrapContent` returns). */
export function useCellWrapping(el: Widgets.BoxElement): void {
  (el as unknown as { _wrapContent: (content: string, width: number) => Wrapped })._wrapContent = (content, width) => {
    const lines = content.split('\n');
    const out = [] as unknown as Wrapped;
    const rtof: number[] = [];
    const ftor: number[][] = [];
    lines.forEach((line, no) => {
      ftor.push([]);
      for (const row of content ? wrapCells(line, width) : ['']) { out.push(row); ftor[no]!.push(out.length - 1); rtof.push(no); }
    });
    out.rtof = rtof;
    out.ftor = ftor;
    out.fake = lines;
    out.real = out;
    out.mwidth = out.reduce((m, r) => Math.max(m, r.replace(/\x1b\[[\d;]*m/g, '').length), 0);
    return out;
  };
}
