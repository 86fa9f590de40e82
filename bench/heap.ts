/**
 * What a connection costs in the V8 heap: the difference between two heap snapshots (before and after
 * N idle connections, from `bench/run.ts --heap-snapshot <dir>`), self size by constructor, per connection.
 *   node --import tsx bench/heap.ts <before.heapsnapshot> <after.heapsnapshot> <connections> [top=25]
 */
import { readFileSync } from 'node:fs';

interface Snapshot { snapshot: { meta: { node_fields: string[]; node_types: (string[] | string)[] } }; nodes: number[]; strings: string[] }

function sizes(file: string): Map<string, { size: number; count: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const f = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0] as string[];
  const width = f.length;
  const iType = f.indexOf('type'); const iName = f.indexOf('name'); const iSize = f.indexOf('self_size');
  const out = new Map<string, { size: number; count: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType]!]!;
    const name = type === 'object' || type === 'closure' || type === 'native' ? snap.strings[snap.nodes[i + iName]!]!.slice(0, 60) : '';
    const key = `${type}${name ? ` ${name}` : ''}`;
    const e = out.get(key) ?? { size: 0, count: 0 };
    e.size += snap.nodes[i + iSize]!;
    e.count++;
    out.set(key, e);
  }
  return out;
}

const [a, b, n, topArg] = process.argv.slice(2);
if (!a || !b || !n) { console.error('usage: bench/heap.ts <before> <after> <connections> [top]'); process.exit(2); }
const conns = Number(n);
const before = sizes(a);
const after = sizes(b);
const rows = [...after].map(([k, v]) => {
  const p = before.get(k) ?? { size: 0, count: 0 };
  return { k, bytes: (v.size - p.size) / conns, count: (v.count - p.count) / conns };
}).sort((x, y) => y.bytes - x.bytes);
const total = rows.reduce((s, r) => s + r.bytes, 0);
console.log(`V8 heap growth per connection: ${(total / 1024).toFixed(2)} KB (${conns} connections)\n`);
console.log('bytes/conn  objects/conn  kind');
for (const r of rows.slice(0, Number(topArg ?? 25))) console.log(`${r.bytes.toFixed(0).padStart(10)}  ${r.count.toFixed(2).padStart(12)}  ${r.k}`);
