/** The Markdown tables of a run: declared as data (a row = label + how to read its figure), printed by one function. */
import { round } from './stats.js';

/** One row: its label, and its cell from a column's result (only called when that column has one). */
export interface Row<R> { label: string; cell(result: R): string }

/** A scenario's table: its title and rows, for the sizes the run used. */
export interface Table<R> { title: string; rows: Row<R>[] }

/** One column: its heading and its result (undefined: the cell reads '—'). */
export interface Column<R> { label: string; result: R | undefined }

export function renderTable<R>(table: Table<R>, columns: Column<R>[]): string {
  let s = `\n### ${table.title}\n\n| | ${columns.map((c) => c.label).join(' | ')} |\n|---|${columns.map(() => '---').join('|')}|\n`;
  for (const row of table.rows) s += `| ${row.label} | ${columns.map((c) => (c.result === undefined ? '—' : row.cell(c.result))).join(' | ')} |\n`;
  return s;
}

/** A duration in ms, '—' when there is none. */
export const ms = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : `${round(v, 2)} ms`);
