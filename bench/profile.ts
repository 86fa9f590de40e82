/**
 * Summarise a V8 CPU profile (node --cpu-prof): self time per function (file:line function), the
 * largest first, and the same folded per file.
 *   node --import tsx bench/profile.ts <file.cpuprofile> [top=30] [--window <fromUs>:<toUs>] [--inclusive]
 * --window: only the samples taken between these monotonic-clock times (µs; the clock of the profile's
 * timestamps and of process.hrtime, so a generator can print the window of what it measured: the wave does).
 * --inclusive: also the total time per function (each sample counted once for every function on its stack).
 * --groups <file.json>: split the samples into named parts: `[[label, regex], …]`, each regex tried on
 * "<file>:<line> <function>" of every frame; a sample goes to the first part listed that matches any frame of
 * its stack (so list the specific before the broad), or to "other". bench/profile-groups/ holds the ones in use.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './peers/servers.js';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

const args = process.argv.slice(2);
const flagAt = (name: string) => args.indexOf(`--${name}`);
const windowArg = flagAt('window') >= 0 ? args.splice(flagAt('window'), 2)[1] : undefined;
const inclusive = flagAt('inclusive') >= 0 ? args.splice(flagAt('inclusive'), 1).length > 0 : false;
const groupsFile = flagAt('groups') >= 0 ? args.splice(flagAt('groups'), 2)[1] : undefined;
const file = args[0];
if (!file) { console.error('usage: bench/profile.ts <file.cpuprofile> [top] [--window <fromUs>:<toUs>] [--inclusive]'); process.exit(2); }
const top = Number(args[1] ?? 30);
const [from, to] = windowArg ? windowArg.split(':').map(Number) as [number, number] : [-Infinity, Infinity];
const prof = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
/** Sample ids and their durations inside the window. */
const taken: [number, number][] = [];
let at = prof.startTime;
prof.samples.forEach((id, i) => {
  const dt = prof.timeDeltas[i] ?? 0;
  at += dt;
  if (at < from || at > to) return;
  taken.push([id, dt]);
  self.set(id, (self.get(id) ?? 0) + dt);
});
if (windowArg) console.log(`window ${from}:${to} µs (${((to - from) / 1000).toFixed(0)} ms); profile ${prof.startTime}:${prof.endTime}; ${taken.length} samples in it`);
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

if (groupsFile) {
  const groups = (JSON.parse(readFileSync(groupsFile, 'utf8')) as [string, string][]).map(([l, re]) => [l, new RegExp(re)] as const);
  /** The lowest index of a part matching a frame of this node's stack (groups.length: none). */
  const rankOf = new Map<number, number>();
  const rank = (id: number): number => {
    let r = rankOf.get(id);
    if (r !== undefined) return r;
    const n = byId.get(id)!;
    const key = `${where(n)} ${n.callFrame.functionName || '(anonymous)'}`;
    const own = groups.findIndex(([, re]) => re.test(key));
    const p = parent.get(id);
    r = Math.min(own < 0 ? groups.length : own, p === undefined ? groups.length : rank(p));
    rankOf.set(id, r);
    return r;
  };
  const find = (id: number) => groups[rank(id)]?.[0] ?? 'other';
  const sums = new Map<string, number>();
  for (const [id, dt] of taken) sums.set(find(id), (sums.get(find(id)) ?? 0) + dt);
  console.log(`\nby part (${groupsFile}):`);
  for (const [k, t] of [...sums].sort((a, b) => b[1] - a[1])) console.log(`${pct(t)}  ${(t / 1000).toFixed(1).padStart(8)} ms  ${k}`);
}

if (inclusive) {
  // Total time: each sample once for every distinct function (file:line name) on its stack.
  const stackOf = new Map<number, string[]>();
  const keysOf = (id: number): string[] => {
    let k = stackOf.get(id);
    if (k) return k;
    const n = byId.get(id)!;
    const p = parent.get(id);
    k = [...new Set([...(p === undefined ? [] : keysOf(p)), `${where(n)} ${n.callFrame.functionName || '(anonymous)'}`])];
    stackOf.set(id, k);
    return k;
  };
  const totalOf = new Map<string, number>();
  for (const [id, dt] of taken) for (const k of keysOf(id)) totalOf.set(k, (totalOf.get(k) ?? 0) + dt);
  console.log('\ntotal (inclusive) time by function:');
  for (const [k, t] of [...totalOf].sort((a, b) => b[1] - a[1]).slice(0, top * 3)) console.log(`${pct(t)}  ${(t / 1000).toFixed(1).padStart(8)} ms  ${k}`);
}
