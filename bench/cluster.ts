/**
 * The cost of a cluster (issue #20): the fan-out at a fixed rate — 200 clients in one channel, 20 senders
 * × 10 msg/s — on one Whiskr node, then on three nodes of one cluster on this machine (MariaDB shared, the
 * NATS on 127.0.0.1:4222 or WHISKR_BENCH_NATS_URL), the clients spread evenly over the nodes. This machine
 * has 2 cores: three nodes cannot show more throughput here, only what the cluster costs:
 *   - cross-node delivery latency (p50, p99) against one node;
 *   - server CPU per delivery (all nodes' CPU over the measured window / deliveries);
 *   - NATS messages and bytes published and received per chat message (from each node's /metrics).
 *
 *   node --import tsx bench/cluster.ts [--quick] [--nodes 1,3]
 */
import { spawn } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createConnection } from 'mysql2/promise';
import { MYSQL_URL, ROOT, createWhiskrAccounts, freePort, killAll, stopChild, tempDir, track, waitOutput, type Peer } from './peers/servers.js';
import { whiskrProtocol } from './lib/protocols.js';
import { closeAll, connectAll, joinAll, userName } from './lib/connect.js';
import { startFixedRate } from './lib/senders.js';
import { procSample, selfCpuMs } from './lib/proc.js';
import { Samples, round, type Quantiles } from './lib/stats.js';
import type { Client } from './lib/client.js';

const NATS = process.env.WHISKR_BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
const quick = process.argv.includes('--quick');
const nodesArg = process.argv.indexOf('--nodes');
const layouts = (nodesArg > 0 ? process.argv[nodesArg + 1]! : '1,3').split(',').map(Number);
const o = quick
  ? { clients: 200, senders: 20, rate: 10, durationMs: 5_000, warmupMs: 1_000 }
  : { clients: 200, senders: 20, rate: 10, durationMs: 15_000, warmupMs: 2_000 };

interface Node { pid: number; port: number; metricsPort: number; stop(): Promise<void> }
interface Bus { published: number; publishedBytes: number; received: number; receivedBytes: number }
interface Result {
  nodes: number; sent: number; delivered: number; deliveredFraction: number; latency: Quantiles;
  serverCpuMs: number; cpuPerDeliveryUs: number; serverCpuPct: number; genCpuPct: number;
  busPerMessage: { published: number; publishedBytes: number; received: number; receivedBytes: number } | null;
}

async function scrape(port: number): Promise<Bus> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const v = (name: string) => Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { published: v('whiskr_bus_published_total'), publishedBytes: v('whiskr_bus_published_bytes_total'), received: v('whiskr_bus_received_total'), receivedBytes: v('whiskr_bus_received_bytes_total') };
}

async function run(count: number): Promise<Result> {
  const dir = tempDir(`cluster${count}`);
  const db = `whiskr_bench_cluster_${process.pid}_${count}`;
  const admin = await createConnection({ uri: MYSQL_URL });
  await admin.query(`CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = MYSQL_URL.replace(/\/?$/, `/${db}`);
  const nodes: Node[] = [];
  try {
    const plugins = { auth: { scryptN: 1024, maxFailuresPerAddress: 0, maxFailuresPerAccount: 0 }, channels: { autoJoin: [] }, history: {}, admin: {}, bots: {} };
    const base = { server: { host: '127.0.0.1', port: 0, maxConnectionsPerAddress: 0, maxConnections: 0, loginTimeoutSeconds: 0 }, flood: { enabled: false }, database: { url }, log: { level: 'warn' }, plugins };
    const names = Array.from({ length: o.clients }, (_, i) => userName('c', i));
    const accountsFile = join(dir, 'accounts.json');
    writeFileSync(accountsFile, JSON.stringify(base));
    await createWhiskrAccounts(ROOT, accountsFile, names);
    const cluster = `bench${process.pid}x${count}`;
    for (let i = 0; i < count; i++) {
      const metricsPort = await freePort();
      const file = join(dir, `node${i}.json`);
      // One node alone runs without a cluster: the figure to compare with.
      writeFileSync(file, JSON.stringify({ ...base, metrics: { port: metricsPort }, ...(count > 1 ? { cluster: { nats: [NATS], node: `n${i}`, name: cluster } } : {}) }));
      const child = track(spawn(process.execPath, [join(ROOT, 'bin/whiskr.js'), 'serve', '--config', file, '--port', '0', '--no-console'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WHISKR_LOG: 'info' } }));
      const m = await waitOutput(child, /listening on [^\s:]+:(\d+)/, `node ${i}`, 120_000);
      nodes.push({ pid: child.pid!, port: Number(m[1]), metricsPort, stop: () => stopChild(child) });
    }
    if (count > 1) await sleep(2_500); // heartbeats: every node knows the others
    // Client i goes to node i % count: the channel's members are spread evenly.
    const clients: Client[] = new Array(o.clients);
    for (let n = 0; n < count; n++) {
      const mine = names.map((name, i) => [name, i] as const).filter(([, i]) => i % count === n);
      const conn = await connectAll({ port: nodes[n]!.port, proto: whiskrProtocol }, mine.map(([name]) => name));
      mine.forEach(([, i], k) => { clients[i] = conn.clients[k]!; });
    }
    const peer = { kind: 'whiskr-mysql', proto: whiskrProtocol, pid: nodes[0]!.pid, port: nodes[0]!.port, version: '', stop: async () => {} } as Peer;
    try {
      const channels = ['#fanout'];
      const members = await joinAll(peer, clients, channels);
      if (count > 1) await sleep(1_000); // the joins reach every node
      const lat = new Samples();
      const measureFrom = performance.now() + o.warmupMs;
      const stopAt = measureFrom + o.durationMs;
      const chat = startFixedRate(peer, members, channels, {
        sendersPerChannel: o.senders, rate: o.rate, stopAt,
        measured: (t) => t >= measureFrom && t < stopAt,
        onDelivery: (_t, latencyMs) => lat.push(latencyMs),
      });
      await sleep(o.warmupMs);
      const cpuA = nodes.map((n) => procSample(n.pid)?.cpuMs ?? NaN); const ga = selfCpuMs(); const ta = performance.now();
      const busA = count > 1 ? await Promise.all(nodes.map((n) => scrape(n.metricsPort))) : [];
      await sleep(o.durationMs);
      const cpuB = nodes.map((n) => procSample(n.pid)?.cpuMs ?? NaN); const gb = selfCpuMs(); const tb = performance.now();
      const busB = count > 1 ? await Promise.all(nodes.map((n) => scrape(n.metricsPort))) : [];
      await chat.stop();
      const serverCpuMs = cpuB.reduce((s, v, i) => s + v - cpuA[i]!, 0);
      // Chat messages sent in the bus window (the measured ones, scaled to the window: a loaded generator may lag its rate).
      const chatMessages = chat.sent * ((tb - ta) / o.durationMs);
      const sum = (k: keyof Bus) => busB.reduce((s, b, i) => s + b[k] - busA[i]![k], 0);
      const windowDeliveries = chat.delivered * ((tb - ta) / o.durationMs);
      return {
        nodes: count, sent: chat.sent, delivered: chat.delivered, deliveredFraction: chat.expected ? chat.delivered / chat.expected : NaN,
        latency: lat.quantiles(), serverCpuMs, cpuPerDeliveryUs: (serverCpuMs * 1000) / windowDeliveries,
        serverCpuPct: (serverCpuMs / (tb - ta)) * 100, genCpuPct: ((gb - ga) / (tb - ta)) * 100,
        busPerMessage: count > 1 ? { published: sum('published') / chatMessages, publishedBytes: sum('publishedBytes') / chatMessages, received: sum('received') / chatMessages, receivedBytes: sum('receivedBytes') / chatMessages } : null,
      };
    } finally { closeAll(clients.filter(Boolean)); }
  } finally {
    for (const n of nodes) await n.stop();
    const c = await createConnection({ uri: MYSQL_URL });
    await c.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await c.end();
  }
}

async function main(): Promise<void> {
  const results: Result[] = [];
  for (const n of layouts) {
    console.error(`cluster bench: ${n} node(s), ${o.clients} clients, ${o.senders} × ${o.rate} msg/s for ${o.durationMs / 1000} s…`);
    const r = await run(n);
    console.error(`  p50 ${round(r.latency.p50)} ms, p99 ${round(r.latency.p99)} ms, delivered ${round(r.deliveredFraction * 100, 3)}%, ${round(r.cpuPerDeliveryUs, 2)} µs CPU/delivery`);
    results.push(r);
  }
  const rows: [string, (r: Result) => string][] = [
    ['p50 / p99 latency', (r) => `${round(r.latency.p50)} / ${round(r.latency.p99)} ms`],
    ['delivered', (r) => `${round(r.deliveredFraction * 100, 3)}%`],
    ['server CPU (all nodes) per delivery', (r) => `${round(r.cpuPerDeliveryUs, 2)} µs`],
    ['server CPU (all nodes) / generator CPU', (r) => `${round(r.serverCpuPct, 0)}% / ${round(r.genCpuPct, 0)}%`],
    ['bus msgs published / received per chat message', (r) => (r.busPerMessage ? `${round(r.busPerMessage.published)} / ${round(r.busPerMessage.received)}` : '–')],
    ['bus bytes published / received per chat message', (r) => (r.busPerMessage ? `${round(r.busPerMessage.publishedBytes, 0)} B / ${round(r.busPerMessage.receivedBytes, 0)} B` : '–')],
  ];
  const lines = [`| fan-out ${o.clients} clients, ${o.senders} × ${o.rate} msg/s (${quick ? 'quick' : 'full'}) | ${results.map((r) => `${r.nodes} node${r.nodes > 1 ? 's' : ''}`).join(' | ')} |`, `|---|${results.map(() => '---').join('|')}|`];
  for (const [label, cell] of rows) lines.push(`| ${label} | ${results.map(cell).join(' | ')} |`);
  console.log(lines.join('\n'));
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, `bench/results/${new Date().toISOString().slice(0, 10)}-cluster-${quick ? 'quick' : 'full'}.json`), JSON.stringify({ parameters: o, nats: NATS, results }, null, 2));
}

main().then(() => { killAll(); process.exit(0); }, (err) => { console.error(err); killAll(); process.exit(1); });
