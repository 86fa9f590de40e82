/** The run's record: its JSON and Markdown, printed and written to bench/results/ from here only. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, hostname, totalmem } from 'node:os';
import { join } from 'node:path';
import { round } from './stats.js';
import { PEER_LABELS, ROOT, type PeerKind } from '../peers/servers.js';
import type { Check } from '../scenarios/scenario.js';

export interface Machine { cpus: number; model: string | undefined; memoryGb: number; host: string; node: string; note: string }

/** What bench/results/<date>-<mode>.json holds (keys in this order). */
export interface RunDocument {
  date: string;
  mode: 'quick' | 'full';
  machine: Machine;
  /** peer kind → what ran (package version, Whiskr revision and plugins) */
  versions: Record<string, string>;
  /** scenario → its sizes and durations */
  parameters: Record<string, object>;
  setupScryptN: number;
  /** scenario → peer → result */
  results: Record<string, Record<string, unknown>>;
  /** "<scenario>/<peer>" → 1-minute load average when that measurement started */
  loadAverages: Record<string, number>;
  budgets: Check[];
  errors: string[];
}

export function machine(): Machine {
  return { cpus: cpus().length, model: cpus()[0]?.model, memoryGb: round(totalmem() / 2 ** 30, 1), host: hostname(), node: process.version, note: 'generator and servers share the same cores' };
}

function markdown(doc: RunDocument, tables: string, file: string): string {
  const m = doc.machine;
  let text = `\n## Results ${doc.date.slice(0, 16).replace('T', ' ')} UTC (${doc.mode}) — ${m.cpus} × ${m.model}, ${m.memoryGb} GB, ${m.node}; generator and servers share the cores\n`;
  text += `\nPeers: ${Object.entries(doc.versions).map(([k, v]) => `${PEER_LABELS[k as PeerKind]} = ${v}`).join('; ')}\n`;
  text += `\nLoad average (1 min) at the start of each measurement: ${Object.entries(doc.loadAverages).map(([k, v]) => `${k} ${v}`).join(', ')}\n`;
  text += tables;
  if (doc.budgets.length) {
    text += '\n### Budgets (ratios from this run)\n\n| budget | server | measured | |\n|---|---|---|---|\n';
    for (const c of doc.budgets) text += `| ${c.budget} | ${c.peer} | ${c.value} | ${c.pass === undefined ? '?' : c.pass ? 'pass' : '**FAIL**'} |\n`;
  }
  if (doc.errors.length) text += `\n### Errors\n\n${doc.errors.map((e) => `- ${e.split('\n')[0]}`).join('\n')}\n`;
  return `${text}\nJSON: ${file}\n`;
}

/**
 * Write the JSON to bench/results/<date>-<mode>.json and print the Markdown (the scenarios' tables
 * followed by budgets and errors). `reference`: a complete run, also written as latest-<mode>.{json,md}.
 */
export function saveRun(doc: RunDocument, tables: string, reference: boolean): void {
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${doc.date.replace(/[:.]/g, '-')}-${doc.mode}.json`);
  const json = JSON.stringify(doc, null, 2);
  writeFileSync(file, json);
  if (reference) writeFileSync(join(dir, `latest-${doc.mode}.json`), json);
  const text = markdown(doc, tables, file);
  console.log(text);
  if (reference) writeFileSync(join(dir, `latest-${doc.mode}.md`), text);
}
