/**
 * Summarise a V8 CPU profile (node --cpu-prof): self time per function (file:line function), the
 * largest first, and the same folded per file.
 *   node --import tsx bench/profile.ts <file.cpuprofile> [top=30]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './peers/servers.js';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

const file = process.argv[2];
if (!file) { console.error('usage: bench/profile.ts <file.cpuprofile> [top]'); process.exit(2); }
const top = Number(process.argv[3] ?? 30);
const prof = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const where = (n: Node) => {
  let url = n.callFrame.url;
  if (url.startsWith('file://')) { try { url = relative(ROOT, fileURLToPath(url)); } catch { /* keep */ } }
  return url ? `${url}:${n.callFrame.lineNumber + 1}` : '(native)';
};
const fn = new Map<string, number>();
const files = new Map<string, number>();
for (const [id, t] of self) {
  const n = byId.get(id)!;
  const key = `${where(n)} ${n.callFrame.functionName || '(anonymous)'}`;
  fn.set(key, (fn.get(key) ?? 0) + t);
  const f = n.callFrame.url ? where(n).replace(/:\d+$/, '') : n.callFrame.functionName;
  files.set(f, (files.get(f) ?? 0) + t);
}
const pct = (t: number) => `${((t / total) * 100).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(2)} s of samples\n\nself time by function:`);
for (const [k, t] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(t)}  ${k}`);
console.log('\nself time by file:');
for (const [k, t] of [...files].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(t)}  ${k}`);

// Who calls the heaviest functions: the two frames above each, by self time underneath.
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${where(n)}`;
const callers = new Map<string, Map<string, number>>();
for (const [id, t] of self) {
  const n = byId.get(id)!;
  const key = `${where(n)} ${n.callFrame.functionName || '(anonymous)'}`;
  const chain: string[] = [];
  let p = parent.get(id);
  while (p !== undefined && chain.length < 9) { const pn = byId.get(p)!; chain.push(label(pn)); p = parent.get(p); }
  const m = callers.get(key) ?? new Map<string, number>();
  m.set(chain.join(' < '), (m.get(chain.join(' < ')) ?? 0) + t);
  callers.set(key, m);
}
console.log('\ncallers of the heaviest functions:');
for (const [k, t] of [...fn].filter(([k]) => !k.includes('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 6)) {
  console.log(`${pct(t)}  ${k}`);
  for (const [c, ct] of [...callers.get(k)!].sort((a, b) => b[1] - a[1]).slice(0, 3)) console.log(`        ${pct(ct)}  < ${c}`);
}
