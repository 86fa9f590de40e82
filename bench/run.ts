/**
 * `npm run bench` / `npm run bench:quick`: every scenario against every peer, back to back, in one run,
 * so that each figure can be read as a ratio to the peers measured on the same machine at the same time.
 *
 *   node --import tsx bench/run.ts [--quick] [--scenarios fanout,rooms,idle,storm,history]
 *                                  [--peers raw,raw-perline,ngircd,inspircd,whiskr-sqlite,whiskr-mysql]
 *                                  [--profile <dir>]   (Whiskr runs under node --cpu-prof)
 *                                  [--whiskr-root <checkout>]   (run Whiskr from another checkout: A/B)
 *                                  [--heap-snapshot <dir>]   (idle: Whiskr heap snapshots before/after; see bench/heap.ts)
 *                                  [--idle-settle-ms <ms>]   (idle: when the last RSS reading is taken, ms after the logins)
 *                                  [--whiskr-options '{"auth":{"tokenTtlSeconds":0}}']   (plugin options for experiments)
 *                                  [--whiskr-plugins auth,channels]   (only these plugins)
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { cpus, totalmem, hostname, loadavg } from 'node:os';
import { join } from 'node:path';
import { ALL_PEERS, PEER_LABELS, ROOT, defaultWhiskrPlugins, killAll, startPeer, type Peer, type PeerKind } from './peers/servers.js';
import { closeAll, connectAll, joinAll, runIdle, runLoginStorm, runRate, runSaturation, userName, type IdleResult, type RateResult, type SaturationResult, type StormResult } from './lib/generator.js';
import { human, round, type Quantiles } from './lib/stats.js';
import type { Client } from './lib/client.js';

type Scenario = 'fanout' | 'rooms' | 'idle' | 'storm' | 'history';
const ALL_SCENARIOS: Scenario[] = ['fanout', 'rooms', 'idle', 'storm', 'history'];

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : undefined; };
const quick = flag('quick');
const scenarios = (option('scenarios')?.split(',') ?? ALL_SCENARIOS) as Scenario[];
const peers = (option('peers')?.split(',') ?? ALL_PEERS) as PeerKind[];
const profileDir = option('profile');
const whiskrRoot = option('whiskr-root') ?? process.env.WHISKR_BENCH_ROOT;
const heapDir = option('heap-snapshot');
const idleSettle = option('idle-settle-ms');
const whiskrPlugins = option('whiskr-plugins')?.split(',');
const pluginOptions = option('whiskr-options') ? JSON.parse(option('whiskr-options')!) as Record<string, Record<string, unknown>> : undefined;
if (heapDir) mkdirSync(heapDir, { recursive: true });
for (const s of scenarios) if (!ALL_SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s} (${ALL_SCENARIOS.join(', ')})`);
for (const p of peers) if (!ALL_PEERS.includes(p)) throw new Error(`unknown peer ${p} (${ALL_PEERS.join(', ')})`);

/** Sizes and durations: the full set, or a few seconds per scenario. */
const P = quick ? {
  fanout: { clients: 200, senders: 20, rate: 10, rateMs: 3_000, warmupMs: 500, windows: [64], satMs: 3_000 },
  rooms: { clients: 500, channels: 50, rate: 5, rateMs: 2_000, warmupMs: 500, window: 8, satMs: 2_000 },
  idle: { connections: 1_000, readAtMs: [250, 500], baselineMs: 500 },
  storm: { members: 50, senders: 10, rate: 10, beforeMs: 2_000, warmupMs: 500, logins: 100, minStormMs: 1_000, repeats: 1 },
} : {
  fanout: { clients: 200, senders: 20, rate: 10, rateMs: 10_000, warmupMs: 1_000, windows: [16, 64, 128], satMs: 5_000 },
  rooms: { clients: 2_000, channels: 200, rate: 5, rateMs: 10_000, warmupMs: 1_000, window: 8, satMs: 5_000 },
  // Read 3 s, 20 s and 75 s after the logins; 75 s counts (V8's memory reducer ran 45-50 s after on MySQL).
  idle: { connections: 10_000, readAtMs: [3_000, 20_000, 75_000], baselineMs: 20_000 },
  // Three storms per server, the median reported: one storm's ratio is a single p99 over a few seconds.
  storm: { members: 50, senders: 10, rate: 10, beforeMs: 5_000, warmupMs: 1_000, logins: 100, minStormMs: 1_000, repeats: 3 },
};
/** scrypt cost for Whiskr accounts where logging in is setup, not the thing measured (the storm keeps the default). */
const SETUP_SCRYPT_N = 16;

/** What plugins/history/bench.ts --json prints (the fields used here). */
interface HistoryBench {
  results?: { db: string; server?: string; writes: { perSecond: number; messages: number; seconds: number }; load?: { perSecond: number }; pages: { rows: number; count: number; p50ms: number; p99ms: number; maxms: number; p99ByKind?: Record<string, number>; innodb?: { diskReads: number; bufferPoolMb: number; tableMb: number } } }[];
  skipped?: { db: string; reason: string }[];
}
interface FanoutOut { connect: Quantiles; rate: RateResult; saturation: SaturationResult[]; best: SaturationResult }
interface RoomsOut { connect: Quantiles; connectWallMs: number; rate: RateResult; saturation: SaturationResult }
const results: Record<string, Record<string, unknown>> = {};
const versions: Record<string, string> = {};
const errors: string[] = [];

/** Load average (1 min) when each measurement started: other work on the machine shows here. */
const loads: Record<string, number> = {};
function record(scenario: string, peer: string, value: unknown): void {
  (results[scenario] ??= {})[peer] = value;
}

const log = (msg: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);

async function withPeer<T>(kind: PeerKind, scryptN: number | undefined, accounts: string[], task: (peer: Peer) => Promise<T>): Promise<T | undefined> {
  let peer: Peer | undefined;
  try {
    peer = await startPeer(kind, { scryptN, profileDir, heapDir, whiskrRoot, accounts, pluginOptions, plugins: whiskrPlugins });
    versions[kind] = peer.version;
    return await task(peer);
  } catch (err) {
    const msg = `${kind}: ${(err as Error).stack ?? err}`;
    errors.push(msg);
    log(`FAILED ${msg}`);
    return undefined;
  } finally {
    await peer?.stop();
  }
}

async function fanout(kind: PeerKind): Promise<void> {
  const o = P.fanout;
  const names = Array.from({ length: o.clients }, (_, i) => userName('f', i));
  await withPeer(kind, SETUP_SCRYPT_N, names, async (peer) => {
    const conn = await connectAll(peer, names);
    try {
      const channels = ['#fanout'];
      const members = await joinAll(peer, conn.clients, channels);
      const rate = await runRate(peer, members, channels, { sendersPerChannel: o.senders, rate: o.rate, durationMs: o.rateMs, warmupMs: o.warmupMs });
      log(`  ${kind} fan-out ${o.senders}×${o.rate}/s: p99 ${round(rate.latency.p99)} ms, delivered ${round(rate.deliveredFraction * 100, 3)}%`);
      const saturation: SaturationResult[] = [];
      for (const window of o.windows) {
        const s = await runSaturation(peer, members, channels, { sendersPerChannel: o.senders, window, durationMs: o.satMs, warmupMs: o.warmupMs });
        log(`  ${kind} saturation window ${window}: ${human(s.deliveriesPerSec)} deliveries/s, ${round(s.serverCpuPerDeliveryUs, 3)} µs CPU/delivery, generator ${round(s.genCpuPct)}% CPU`);
        saturation.push(s);
      }
      const best = saturation.reduce((a, b) => (b.deliveriesPerSec > a.deliveriesPerSec ? b : a));
      record('fanout', kind, { connect: conn.login, rate, saturation, best } satisfies FanoutOut);
    } finally { closeAll(conn.clients); }
  });
}

async function rooms(kind: PeerKind): Promise<void> {
  const o = P.rooms;
  const names = Array.from({ length: o.clients }, (_, i) => userName('r', i));
  await withPeer(kind, SETUP_SCRYPT_N, names, async (peer) => {
    const conn = await connectAll(peer, names);
    try {
      const channels = Array.from({ length: o.channels }, (_, k) => `#room${k}`);
      const members = await joinAll(peer, conn.clients, channels);
      const rate = await runRate(peer, members, channels, { sendersPerChannel: 1, rate: o.rate, durationMs: o.rateMs, warmupMs: o.warmupMs });
      log(`  ${kind} rooms ${o.channels}×1×${o.rate}/s: p99 ${round(rate.latency.p99)} ms, delivered ${round(rate.deliveredFraction * 100, 3)}%`);
      const saturation = await runSaturation(peer, members, channels, { sendersPerChannel: 1, window: o.window, durationMs: o.satMs, warmupMs: o.warmupMs });
      log(`  ${kind} rooms saturation: ${human(saturation.deliveriesPerSec)} deliveries/s, ${round(saturation.serverCpuPerDeliveryUs, 3)} µs CPU/delivery`);
      record('rooms', kind, { connect: conn.login, connectWallMs: conn.wallMs, rate, saturation } satisfies RoomsOut);
    } finally { closeAll(conn.clients); }
  });
}

async function idle(kind: PeerKind): Promise<void> {
  const o = P.idle;
  const names = Array.from({ length: o.connections }, (_, i) => userName('i', i));
  await withPeer(kind, SETUP_SCRYPT_N, names, async (peer) => {
    let clients: Client[] = [];
    try {
      const readAt = idleSettle ? [...o.readAtMs.filter((t) => t < Number(idleSettle)), Number(idleSettle)] : o.readAtMs;
      const r = await runIdle(peer, names, readAt, o.baselineMs);
      clients = r.clients;
      log(`  ${kind} idle ${o.connections}: ${round(r.result.rssPerConnectionKb)} KB/connection, login p99 ${round(r.result.login.p99)} ms`);
      if (r.result.snapshots) log(`  ${kind} heap snapshots: node --import tsx bench/heap.ts ${r.result.snapshots.join(' ')} ${o.connections}`);
      record('idle', kind, r.result satisfies IdleResult);
    } finally { closeAll(clients); }
  });
}

async function storm(kind: PeerKind): Promise<void> {
  const o = P.storm;
  // Default scrypt cost here: the point is what real password hashing does to everyone else.
  const names = Array.from({ length: o.members }, (_, i) => userName('m', i));
  const stormNames = Array.from({ length: o.logins * o.repeats }, (_, i) => userName('s', i));
  await withPeer(kind, undefined, [...names, ...stormNames], async (peer) => {
    const conn = await connectAll(peer, names);
    const closers: (() => void)[] = [];
    try {
      const channels = ['#storm'];
      const members = await joinAll(peer, conn.clients, channels);
      const runs: StormResult[] = [];
      for (let k = 0; k < o.repeats; k++) {
        const batch = stormNames.slice(k * o.logins, (k + 1) * o.logins);
        const r = await runLoginStorm(peer, members, channels, batch, { sendersPerChannel: o.senders, rate: o.rate, beforeMs: o.beforeMs, warmupMs: o.warmupMs, minStormMs: o.minStormMs });
        closers.push(r.close);
        runs.push(r.result);
        log(`  ${kind} storm ${k + 1}/${o.repeats}: p99 before ${round(r.result.before.p99)} ms, during ${round(r.result.during.p99)} ms (×${round(r.result.p99Ratio)}), ${o.logins} logins in ${round(r.result.stormMs, 0)} ms`);
      }
      const median = [...runs].sort((a, b) => a.p99Ratio - b.p99Ratio)[Math.floor(runs.length / 2)]!;
      record('storm', kind, { ...median, ratios: runs.map((r) => round(r.p99Ratio)) } satisfies StormResult);
    } finally { closeAll(conn.clients); for (const close of closers) close(); }
  });
}

/** The history engineer's benchmark (plugins/history/bench.ts), run as its own process. */
async function history(): Promise<void> {
  const script = join(ROOT, 'plugins/history/bench.ts');
  if (!existsSync(script)) { log('history: plugins/history/bench.ts is not there yet, skipped'); record('history', 'whiskr-sqlite', { skipped: 'plugins/history/bench.ts missing' }); return; }
  const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, '--json', ...(quick ? ['--rows', '100000', '--writes', '50000', '--pages', '500', '--seconds', '120'] : ['--seconds', '900'])], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d; process.stderr.write(d); });
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d).slice(-20_000); process.stderr.write(d); });
    const timer = setTimeout(() => { if (child.pid) process.kill(child.pid, 'SIGKILL'); }, quick ? 300_000 : 1_800_000);
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
  // It may print a JSON object (alone on a line, or as the whole output): keep it as is.
  let parsed: unknown;
  for (const candidate of [out.stdout.trim(), ...out.stdout.split('\n').reverse()]) {
    try { parsed = JSON.parse(candidate); break; } catch { /* not JSON */ }
  }
  record('history', 'whiskr', { exitCode: out.code, result: parsed, output: parsed ? undefined : out.stdout.slice(-10_000) });
  const r = parsed as HistoryBench | undefined;
  for (const x of r?.results ?? []) log(`  history ${x.db}: ${human(x.writes.perSecond)} writes/s; page p99 ${x.pages.p99ms} ms at ${x.pages.rows} rows`);
  if (out.code !== 0) errors.push(`history bench exited ${out.code}: ${out.stderr.slice(-2000)}`);
}

// -------------------------------------------------------------------------------------------- report

const get = <T>(scenario: string, peer: string) => results[scenario]?.[peer] as T | undefined;
const ms = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : `${round(v, 2)} ms`);

function table(title: string, rows: [string, (p: PeerKind) => string][]): string {
  const cols = peers;
  let s = `\n### ${title}\n\n| | ${cols.map((c) => PEER_LABELS[c]).join(' | ')} |\n|---|${cols.map(() => '---').join('|')}|\n`;
  for (const [label, f] of rows) s += `| ${label} | ${cols.map((c) => f(c)).join(' | ')} |\n`;
  return s;
}

function report(): string {
  let s = '';
  if (results.fanout) {
    const o = P.fanout;
    s += table(`Fan-out: ${o.clients} clients, 1 channel, ${o.senders} senders`, [
      [`${o.senders} × ${o.rate} msg/s: p50 / p99 latency`, (p) => { const r = get<FanoutOut>('fanout', p)?.rate; return r ? `${ms(r.latency.p50)} / ${ms(r.latency.p99)}` : '—'; }],
      [`${o.senders} × ${o.rate} msg/s: delivered`, (p) => { const r = get<FanoutOut>('fanout', p)?.rate; return r ? `${round(r.deliveredFraction * 100, 3)}%` : '—'; }],
      ['saturation: deliveries/s (best window)', (p) => { const r = get<FanoutOut>('fanout', p)?.best; return r ? `${human(r.deliveriesPerSec)} (w=${r.window})` : '—'; }],
      ['saturation: server CPU per delivery', (p) => { const r = get<FanoutOut>('fanout', p)?.best; return r ? `${round(r.serverCpuPerDeliveryUs, 3)} µs` : '—'; }],
      ['saturation: server / generator CPU', (p) => { const r = get<FanoutOut>('fanout', p)?.best; return r ? `${round(r.serverCpuPct, 0)}% / ${round(r.genCpuPct, 0)}%` : '—'; }],
      ['saturation: probe p99 latency', (p) => { const r = get<FanoutOut>('fanout', p)?.best; return r ? ms(r.probeLatency.p99) : '—'; }],
      ['connect+login p50 / p99', (p) => { const r = get<FanoutOut>('fanout', p)?.connect; return r ? `${ms(r.p50)} / ${ms(r.p99)}` : '—'; }],
    ]);
  }
  if (results.rooms) {
    const o = P.rooms;
    s += table(`Many rooms: ${o.clients} clients in ${o.channels} channels, 1 sender per channel`, [
      [`${o.channels} × ${o.rate} msg/s: p50 / p99 latency`, (p) => { const r = get<RoomsOut>('rooms', p)?.rate; return r ? `${ms(r.latency.p50)} / ${ms(r.latency.p99)}` : '—'; }],
      ['delivered', (p) => { const r = get<RoomsOut>('rooms', p)?.rate; return r ? `${round(r.deliveredFraction * 100, 3)}%` : '—'; }],
      [`saturation (window ${o.window}): deliveries/s`, (p) => { const r = get<RoomsOut>('rooms', p)?.saturation; return r ? human(r.deliveriesPerSec) : '—'; }],
      ['saturation: server CPU per delivery', (p) => { const r = get<RoomsOut>('rooms', p)?.saturation; return r ? `${round(r.serverCpuPerDeliveryUs, 3)} µs` : '—'; }],
      [`connect+login of ${o.clients}: wall time`, (p) => { const r = get<RoomsOut>('rooms', p); return r ? ms(r.connectWallMs) : '—'; }],
    ]);
  }
  if (results.idle) {
    s += table(`Idle: ${P.idle.connections} logged-in connections`, [
      ['server RSS per connection, settled', (p) => { const r = get<IdleResult>('idle', p); return r ? `${round(r.rssPerConnectionKb, 2)} KB (${round((r.settleMs ?? 0) / 1000, 1)} s after)` : '—'; }],
      ['server RSS before → settled', (p) => { const r = get<IdleResult>('idle', p); return r ? `${round(r.rssBeforeKb / 1024, 1)} → ${round(r.rssAfterKb / 1024, 1)} MB` : '—'; }],
      ['server RSS per connection, each reading', (p) => { const r = get<IdleResult>('idle', p); return r?.readings ? r.readings.map((x) => `${round(x.perConnectionKb, 2)} KB (${round(x.afterMs / 1000, 1)} s)`).join(', ') : '—'; }],
      ['connect+login p50 / p99', (p) => { const r = get<IdleResult>('idle', p); return r ? `${ms(r.login.p50)} / ${ms(r.login.p99)}` : '—'; }],
      ['connections+logins per second', (p) => { const r = get<IdleResult>('idle', p); return r ? human(r.connectionsPerSec) : '—'; }],
    ]);
  }
  if (results.storm) {
    const o = P.storm;
    s += table(`Login storm: ${o.logins} logins at once while ${o.senders} × ${o.rate} msg/s chat in a ${o.members}-member channel`, [
      ['chat p99 before → during', (p) => { const r = get<StormResult>('storm', p); return r ? `${ms(r.before.p99)} → ${ms(r.during.p99)}` : '—'; }],
      ['ratio during / before (median of the storms; each)', (p) => { const r = get<StormResult>('storm', p); return r ? `×${round(r.p99Ratio)}${r.ratios && r.ratios.length > 1 ? ` (${r.ratios.map((x) => `×${x}`).join(', ')})` : ''}` : '—'; }],
      [`${o.logins} logins: p50 / p99 / all done`, (p) => { const r = get<StormResult>('storm', p); return r ? `${ms(r.login.p50)} / ${ms(r.login.p99)} / ${ms(r.stormMs)}` : '—'; }],
    ]);
  }
  const h = (results.history?.whiskr as { result?: HistoryBench } | undefined)?.result;
  if (h?.results?.length) {
    s += `\n### History (plugins/history/bench.ts: write queue → store; /history pages)\n\n| | ${h.results.map((r) => r.db).join(' | ')} |\n|---|${h.results.map(() => '---').join('|')}|\n`;
    s += `| writes/s (batched) | ${h.results.map((r) => `${human(r.writes.perSecond)} (${r.writes.messages} in ${r.writes.seconds} s)`).join(' | ')} |\n`;
    s += `| /history page p50 / p99 / max | ${h.results.map((r) => `${r.pages.p50ms} / ${r.pages.p99ms} / ${r.pages.maxms} ms`).join(' | ')} |\n`;
    s += `| page p99 by kind: newest / before / after / conversation | ${h.results.map((r) => (r.pages.p99ByKind ? Object.values(r.pages.p99ByKind).join(' / ') + ' ms' : '—')).join(' | ')} |\n`;
    s += `| InnoDB pages read from disk during the page test (buffer pool; table) | ${h.results.map((r) => (r.pages.innodb ? `${r.pages.innodb.diskReads} (${r.pages.innodb.bufferPoolMb} MB; ${r.pages.innodb.tableMb} MB)` : '—')).join(' | ')} |\n`;
    s += `| rows stored | ${h.results.map((r) => r.pages.rows.toLocaleString('en')).join(' | ')} |\n`;
  }
  return s;
}

interface Check { budget: string; peer: string; value: string; pass: boolean | undefined }

function budgets(): Check[] {
  const out: Check[] = [];
  const add = (budget: string, peer: string, value: string, pass: boolean | undefined) => out.push({ budget, peer, value, pass });
  for (const w of ['whiskr-sqlite', 'whiskr-mysql'] as PeerKind[]) {
    const f = get<FanoutOut>('fanout', w);
    const raw = get<FanoutOut>('fanout', 'raw');
    const insp = get<FanoutOut>('fanout', 'inspircd');
    if (f) {
      if (insp) add('fan-out saturation ≥ InspIRCd', w, `${human(f.best.deliveriesPerSec)} vs ${human(insp.best.deliveriesPerSec)} (×${round(f.best.deliveriesPerSec / insp.best.deliveriesPerSec)})`, f.best.deliveriesPerSec >= insp.best.deliveriesPerSec);
      if (raw) add('fan-out saturation ≥ 0.7× raw coalesced', w, `×${round(f.best.deliveriesPerSec / raw.best.deliveriesPerSec)} of ${human(raw.best.deliveriesPerSec)}`, f.best.deliveriesPerSec >= 0.7 * raw.best.deliveriesPerSec);
      if (insp) add('CPU per delivery ≤ InspIRCd', w, `${round(f.best.serverCpuPerDeliveryUs, 3)} µs vs ${round(insp.best.serverCpuPerDeliveryUs, 3)} µs`, f.best.serverCpuPerDeliveryUs <= insp.best.serverCpuPerDeliveryUs);
      add('20 × 10 msg/s: everything delivered', w, `${round(f.rate.deliveredFraction * 100, 3)}%`, f.rate.deliveredFraction >= 1);
      add('20 × 10 msg/s: p99 ≤ 3 ms', w, ms(f.rate.latency.p99), f.rate.latency.p99 <= 3);
      if (raw) add('20 × 10 msg/s: p99 ≤ 3× raw', w, `×${round(f.rate.latency.p99 / raw.rate.latency.p99)} (raw ${ms(raw.rate.latency.p99)})`, f.rate.latency.p99 <= 3 * raw.rate.latency.p99);
    }
    const i = get<IdleResult>('idle', w);
    const ri = get<IdleResult>('idle', 'raw');
    if (i) {
      add('idle: ≤ 10 KB RSS per connection', w, `${round(i.rssPerConnectionKb, 2)} KB at ${i.connections}`, i.rssPerConnectionKb <= 10);
      if (ri) add('idle: ≤ 2.5× raw', w, `×${round(i.rssPerConnectionKb / ri.rssPerConnectionKb)} (raw ${round(ri.rssPerConnectionKb, 2)} KB)`, i.rssPerConnectionKb <= 2.5 * ri.rssPerConnectionKb);
    }
    const st = get<StormResult>('storm', w);
    if (st) add('login storm: p99 during ≤ 2× before', w, `×${round(st.p99Ratio)}${st.ratios && st.ratios.length > 1 ? ` (median of ${st.ratios.map((x) => `×${x}`).join(', ')})` : ''} (${ms(st.before.p99)} → ${ms(st.during.p99)})`, st.p99Ratio <= 2);
  }
  const h = (results.history?.whiskr as { result?: HistoryBench } | undefined)?.result;
  for (const r of h?.results ?? []) {
    const min = r.db === 'sqlite' ? 50_000 : 20_000;
    add(`history: ≥ ${human(min)} writes/s`, `history-${r.db}`, `${human(r.writes.perSecond)}/s`, r.writes.perSecond >= min);
    add('history: page p99 ≤ 5 ms at 1,000,000 rows', `history-${r.db}`, `${r.pages.p99ms} ms at ${r.pages.rows.toLocaleString('en')} rows`, r.pages.rows >= 1_000_000 ? r.pages.p99ms <= 5 : undefined);
  }
  return out;
}

async function main(): Promise<void> {
  const started = new Date();
  log(`Whiskr benchmark (${quick ? 'quick' : 'full'}): scenarios ${scenarios.join(', ')}; peers ${peers.join(', ')}; Whiskr plugins ${defaultWhiskrPlugins().join(', ')}`);
  for (const scenario of scenarios) {
    if (scenario === 'history') { log('history'); await history(); continue; }
    for (const kind of peers) {
      loads[`${scenario}/${kind}`] = round(loadavg()[0]!, 2);
      log(`${scenario}: ${kind} (load average ${loads[`${scenario}/${kind}`]})`);
      if (scenario === 'fanout') await fanout(kind);
      if (scenario === 'rooms') await rooms(kind);
      if (scenario === 'idle') await idle(kind);
      if (scenario === 'storm') await storm(kind);
    }
  }
  const checks = budgets();
  const machine = { cpus: cpus().length, model: cpus()[0]?.model, memoryGb: round(totalmem() / 2 ** 30, 1), host: hostname(), node: process.version, note: 'generator and servers share the same cores' };
  const doc = { date: started.toISOString(), mode: quick ? 'quick' : 'full', machine, versions, parameters: P, setupScryptN: SETUP_SCRYPT_N, results, loadAverages: loads, budgets: checks, errors };
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const file = join(ROOT, 'bench/results', `${stamp}-${doc.mode}.json`);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  // The committed reference results: only a complete run of every scenario against every peer.
  const complete = scenarios.length === ALL_SCENARIOS.length && peers.length === ALL_PEERS.length && !profileDir && !heapDir && !whiskrRoot && !idleSettle && !pluginOptions && !whiskrPlugins;
  if (complete) writeFileSync(join(ROOT, 'bench/results', `latest-${doc.mode}.json`), JSON.stringify(doc, null, 2));
  let text = `\n## Results ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC (${doc.mode}) — ${machine.cpus} × ${machine.model}, ${machine.memoryGb} GB, ${machine.node}; generator and servers share the cores\n`;
  text += `\nPeers: ${Object.entries(versions).map(([k, v]) => `${PEER_LABELS[k as PeerKind]} = ${v}`).join('; ')}\n`;
  text += `\nLoad average (1 min) at the start of each measurement: ${Object.entries(loads).map(([k, v]) => `${k} ${v}`).join(', ')}\n`;
  text += report();
  if (checks.length) {
    text += '\n### Budgets (ratios from this run)\n\n| budget | server | measured | |\n|---|---|---|---|\n';
    for (const c of checks) text += `| ${c.budget} | ${c.peer} | ${c.value} | ${c.pass === undefined ? '?' : c.pass ? 'pass' : '**FAIL**'} |\n`;
  }
  if (errors.length) text += `\n### Errors\n\n${errors.map((e) => `- ${e.split('\n')[0]}`).join('\n')}\n`;
  text += `\nJSON: ${file}\n`;
  console.log(text);
  if (complete) writeFileSync(join(ROOT, 'bench/results', `latest-${doc.mode}.md`), text);
}

main().then(() => { killAll(); process.exit(0); }, (err) => { console.error(err); killAll(); process.exit(1); });
