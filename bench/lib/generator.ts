/**
 * The load generator: connects N clients to a peer, logs them in, joins them to K channels, and drives
 * S senders either at a fixed rate (latency) or as fast as a bounded in-flight window allows
 * (saturation). Everything runs on loopback; every loop is bounded in time and count.
 */
import { performance } from 'node:perf_hooks';
import { Client, pool } from './client.js';
import { ngircdProtocol, parseMark, payload, rawProtocol, whiskrProtocol, type Protocol } from './protocols.js';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { procSample, selfCpuMs, type ProcSample } from './proc.js';
import { Samples, round, type Quantiles } from './stats.js';
import type { Peer } from '../peers/servers.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const userName = (prefix: string, i: number) => `${prefix}${String(i).padStart(5, '0')}`;

/** Create accounts before a run (untimed). Only Whiskr has accounts. */
export async function createAccounts(peer: Peer, names: string[]): Promise<number> {
  const register = peer.proto.register;
  if (!register) return 0;
  const t0 = performance.now();
  await pool(names, 32, async (name) => {
    const c = await Client.open(peer.port, name);
    try { await register.call(peer.proto, c, name); } finally { c.close(); }
  });
  return performance.now() - t0;
}

export interface Connected {
  clients: Client[];
  /** connect-and-login time per client, ms */
  login: Quantiles;
  /** from the first connect to the last login, ms */
  wallMs: number;
}

/** Open and log in one client per name, a protocol-dependent number at once. */
export async function connectAll(peer: Peer, names: string[], concurrency = peer.proto.connectConcurrency): Promise<Connected> {
  const times = new Samples();
  const t0 = performance.now();
  const clients = await pool(names, concurrency, async (name) => {
    const s = performance.now();
    const c = await Client.open(peer.port, name, 60_000);
    await peer.proto.login(c, name);
    times.push(performance.now() - s);
    return c;
  });
  return { clients, login: times.quantiles(), wallMs: performance.now() - t0 };
}

/** Join clients[i] to channels[i % channels.length]; returns the members of each channel in join order. */
export async function joinAll(peer: Peer, clients: Client[], channels: string[]): Promise<Client[][]> {
  const members: Client[][] = channels.map(() => []);
  await pool(clients, Math.min(256, peer.proto.connectConcurrency * 8), async (c, i) => {
    await peer.proto.join(c, channels[i % channels.length]!);
  });
  clients.forEach((c, i) => members[i % channels.length]!.push(c));
  // Let the join announcements settle: one round trip on every client.
  await pool(clients, 256, (c, i) => peer.proto.sync(c, `s${i}`));
  return members;
}

export function closeAll(clients: Client[]): void { for (const c of clients) c.close(); }

interface Sender { client: Client; channel: string; index: number; seq: number; inflight: number }

function pickSenders(members: Client[][], channels: string[], perChannel: number): Sender[] {
  const out: Sender[] = [];
  channels.forEach((channel, k) => {
    for (let j = 0; j < perChannel && j < members[k]!.length - 1; j++) out.push({ client: members[k]![j]!, channel, index: out.length, seq: 0, inflight: 0 });
  });
  return out;
}

export interface CpuWindow { serverCpuMs: number; serverRssKb: number; genCpuMs: number; wallMs: number }

function cpuWindow(pid: number, a: ProcSample | undefined, b: ProcSample | undefined, ga: number, gb: number, wallMs: number): CpuWindow {
  return { serverCpuMs: (b?.cpuMs ?? NaN) - (a?.cpuMs ?? NaN), serverRssKb: b?.rssKb ?? NaN, genCpuMs: gb - ga, wallMs };
}

// ------------------------------------------------------------------------------------------ rate mode

export interface RateResult {
  senders: number;
  ratePerSender: number;
  sent: number;
  expected: number;
  delivered: number;
  deliveredFraction: number;
  deliveriesPerSec: number;
  latency: Quantiles;
  serverCpuPct: number;
  genCpuPct: number;
  serverRssKb: number;
}

/**
 * S senders (the first `sendersPerChannel` members of each channel) each send `rate` messages per
 * second for `durationMs` after a warm-up; every client parses every line; latency = receive time
 * minus the timestamp in the payload. After sending stops, waits (bounded) for everything to arrive.
 */
export async function runRate(peer: Peer, members: Client[][], channels: string[], o: { sendersPerChannel: number; rate: number; durationMs: number; warmupMs: number; drainMs?: number }): Promise<RateResult> {
  const senders = pickSenders(members, channels, o.sendersPerChannel);
  const senderOf = new Map(senders.map((s) => [s.client, s]));
  const lat = new Samples();
  let measureFrom = Infinity;
  let measureTo = Infinity;
  let delivered = 0;
  for (const group of members) {
    for (const c of group) {
      const self = senderOf.get(c)?.index ?? -1;
      c.parse = true;
      const prev = c.onLine;
      c.onLine = (line) => {
        const m = parseMark(line);
        if (!m) { if (prev && !line.includes('"type":"message"')) prev(line); return; }
        if (m[0] === self) return;
        if (m[2] >= measureFrom && m[2] < measureTo) { delivered++; lat.push(performance.now() - m[2]); }
      };
    }
  }
  const membersOf = new Map(channels.map((ch, k) => [ch, members[k]!.length]));
  let sent = 0;
  let expected = 0;
  const period = 1000 / o.rate;
  const timers: NodeJS.Timeout[] = [];
  const start = performance.now();
  measureFrom = start + o.warmupMs;
  const stopAt = measureFrom + o.durationMs;
  for (const s of senders) {
    // Spread the senders' phases over one period so the load is even.
    const phase = Math.random() * period;
    timers.push(setTimeout(() => {
      const tick = () => {
        const now = performance.now();
        if (now >= stopAt) return;
        s.client.write(payload(peer.proto, s.channel, s.index, s.seq++, now));
        if (now >= measureFrom) { sent++; expected += membersOf.get(s.channel)! - 1; }
      };
      tick();
      timers.push(setInterval(tick, period));
    }, phase));
  }
  await sleep(o.warmupMs);
  const a = procSample(peer.pid); const ga = selfCpuMs(); const ta = performance.now();
  await sleep(o.durationMs);
  const b = procSample(peer.pid); const gb = selfCpuMs(); const tb = performance.now();
  measureTo = stopAt;
  for (const t of timers) { clearTimeout(t); clearInterval(t); }
  const drainUntil = performance.now() + (o.drainMs ?? 5_000);
  while (delivered < expected && performance.now() < drainUntil) await sleep(20);
  const cw = cpuWindow(peer.pid, a, b, ga, gb, tb - ta);
  for (const group of members) for (const c of group) c.onLine = undefined;
  return {
    senders: senders.length, ratePerSender: o.rate, sent, expected, delivered,
    deliveredFraction: expected ? delivered / expected : NaN,
    deliveriesPerSec: delivered / (o.durationMs / 1000),
    latency: lat.quantiles(),
    serverCpuPct: (cw.serverCpuMs / cw.wallMs) * 100,
    genCpuPct: (cw.genCpuMs / cw.wallMs) * 100,
    serverRssKb: cw.serverRssKb,
  };
}

// ------------------------------------------------------------------------------------ saturation mode

export interface SaturationResult {
  window: number;
  senders: number;
  messagesPerSec: number;
  deliveriesPerSec: number;
  /** server CPU time per delivery, µs */
  serverCpuPerDeliveryUs: number;
  serverCpuPct: number;
  genCpuPct: number;
  serverRssKb: number;
  avgLineBytes: number;
  probeLatency: Quantiles;
  disconnected: number;
}

/**
 * Every sender keeps `window` messages in flight: a message leaves flight when the last member of its
 * channel (the probe, which parses its lines) has received it. Other clients only count bytes;
 * deliveries = bytes received / the average message line measured on the probes (minus the senders'
 * own echoes where the server sends them).
 */
export async function runSaturation(peer: Peer, members: Client[][], channels: string[], o: { sendersPerChannel: number; window: number; durationMs: number; warmupMs: number }): Promise<SaturationResult> {
  const senders = pickSenders(members, channels, o.sendersPerChannel);
  const all = members.flat();
  const term = peer.proto.kind === 'irc' ? 2 : 1;
  let probeLines = 0;
  let probeBytes = 0;
  const lat = new Samples(1_000_000);
  let measuring = false;
  const dirty = new Set<Sender>();
  let scheduled = false;
  let running = true;
  const topUp = () => {
    scheduled = false;
    if (!running) { dirty.clear(); return; }
    const now = performance.now();
    for (const s of dirty) {
      let out = '';
      while (s.inflight < o.window) { out += payload(peer.proto, s.channel, s.index, s.seq++, now); s.inflight++; }
      if (out) s.client.write(out);
    }
    dirty.clear();
  };
  const mark = (s: Sender) => { dirty.add(s); if (!scheduled) { scheduled = true; setImmediate(topUp); } };
  for (const c of all) { c.parse = false; c.onLine = undefined; }
  channels.forEach((_ch, k) => {
    const probe = members[k]![members[k]!.length - 1]!;
    const mine = senders.filter((s) => s.channel === channels[k]);
    const byIndex = new Map(mine.map((s) => [s.index, s]));
    probe.parse = true;
    probe.onLine = (line) => {
      const m = parseMark(line);
      if (!m) return;
      const s = byIndex.get(m[0]);
      if (!s) return;
      if (measuring) { probeLines++; probeBytes += line.length + term; lat.push(performance.now() - m[2]); }
      s.inflight--;
      mark(s);
    };
  });
  for (const s of senders) mark(s);
  await sleep(o.warmupMs);
  const bytesOf = () => all.reduce((n, c) => n + c.bytes, 0);
  const seqOf = () => senders.reduce((n, s) => n + s.seq, 0);
  measuring = true;
  const a = procSample(peer.pid); const ga = selfCpuMs(); const ta = performance.now(); const ba = bytesOf(); const sa = seqOf();
  await sleep(o.durationMs);
  const b = procSample(peer.pid); const gb = selfCpuMs(); const tb = performance.now(); const bb = bytesOf(); const sb = seqOf();
  measuring = false;
  running = false;
  // Let what is in flight arrive (bounded), so the next run starts clean.
  const drainUntil = performance.now() + 5_000;
  while (senders.some((s) => s.inflight > 0) && performance.now() < drainUntil) await sleep(20);
  for (const c of all) { c.parse = true; c.onLine = undefined; }
  const cw = cpuWindow(peer.pid, a, b, ga, gb, tb - ta);
  const secs = cw.wallMs / 1000;
  const avg = probeLines ? probeBytes / probeLines : NaN;
  const sentInWindow = sb - sa;
  const deliveries = (bb - ba) / avg - (peer.proto.echo ? sentInWindow : 0);
  return {
    window: o.window,
    senders: senders.length,
    messagesPerSec: sentInWindow / secs,
    deliveriesPerSec: deliveries / secs,
    serverCpuPerDeliveryUs: (cw.serverCpuMs * 1000) / deliveries,
    serverCpuPct: (cw.serverCpuMs / cw.wallMs) * 100,
    genCpuPct: (cw.genCpuMs / cw.wallMs) * 100,
    serverRssKb: cw.serverRssKb,
    avgLineBytes: round(avg, 1),
    probeLatency: lat.quantiles(),
    disconnected: all.filter((c) => c.closed).length,
  };
}

// ------------------------------------------------------------------------------------------- idle

export interface IdleResult {
  connections: number;
  rssBeforeKb: number;
  /** RSS a few seconds after the logins: what the burst of logins left, not yet given back. */
  rssAfterBurstKb: number;
  rssPerConnectionAfterBurstKb: number;
  /** RSS once settled (the last reading): what idle connections cost. */
  rssAfterKb: number;
  rssPerConnectionKb: number;
  /** Every reading after the logins, in order: ms after them, and RSS per connection. */
  readings: { afterMs: number; perConnectionKb: number }[];
  burstMs: number;
  settleMs: number;
  login: Quantiles;
  wallMs: number;
  connectionsPerSec: number;
  /** With --heap-snapshot (Whiskr): snapshots before and after the connections, for bench/heap.ts. */
  snapshots?: [string, string];
}

/**
 * RSS per idle connection. The server is read at each of `readAtMs` after the logins (ascending; the first is
 * what a burst of logins leaves behind, the last the figure that counts). A garbage-collected server gives a
 * burst's garbage back only once allocation has stopped for a while and V8's memory reducer has run a full
 * GC: some seconds after for a small heap, 45-50 s after for Whiskr on MySQL, whose logins wait on the
 * network and so promote more (see bench/README.md). The same for every peer; the baseline is read
 * `baselineMs` after the server started.
 */
export async function runIdle(peer: Peer, names: string[], readAtMs: number[], baselineMs: number): Promise<{ result: IdleResult; clients: Client[] }> {
  await sleep(baselineMs);
  const snapBefore = await peer.heapSnapshot?.();
  const before = procSample(peer.pid);
  const rb = before?.rssKb ?? NaN;
  const conn = await connectAll(peer, names);
  // One round trip on every connection, then let the server settle.
  await pool(conn.clients, 256, (c, i) => peer.proto.sync(c, `i${i}`));
  const loggedIn = performance.now();
  const readings: { afterMs: number; rssKb: number; perConnectionKb: number }[] = [];
  for (const at of readAtMs) {
    await sleep(Math.max(0, loggedIn + at - performance.now()));
    const rss = procSample(peer.pid)?.rssKb ?? NaN;
    readings.push({ afterMs: at, rssKb: rss, perConnectionKb: (rss - rb) / names.length });
  }
  const first = readings[0]!;
  const last = readings[readings.length - 1]!;
  const result: IdleResult = {
    connections: names.length, rssBeforeKb: rb, rssAfterBurstKb: first.rssKb, rssPerConnectionAfterBurstKb: first.perConnectionKb,
    rssAfterKb: last.rssKb, rssPerConnectionKb: last.perConnectionKb,
    readings: readings.map(({ afterMs, perConnectionKb }) => ({ afterMs, perConnectionKb })),
    burstMs: first.afterMs, settleMs: last.afterMs,
    login: conn.login, wallMs: conn.wallMs, connectionsPerSec: names.length / (conn.wallMs / 1000),
  };
  if (snapBefore && peer.heapSnapshot) {
    // (RSS after the snapshot is no measure: writing it allocates.)
    result.snapshots = [snapBefore, await peer.heapSnapshot()];
  }
  return { clients: conn.clients, result };
}

// ------------------------------------------------------------------------------------- login storm

/**
 * connectAll in a child process (bench/lib/storm-child.ts), so that its work does not delay this one's
 * timing. Resolves once the child is ready; `go()` starts the logins and resolves when they are done.
 */
async function stormClients(peer: Peer, names: string[], concurrency: number): Promise<{ go(): Promise<{ login: Quantiles; wallMs: number }>; close(): void }> {
  const protocol = peer.proto === whiskrProtocol ? 'whiskr' : peer.proto === rawProtocol ? 'raw' : peer.proto === ngircdProtocol ? 'ngircd' : 'inspircd';
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./storm-child.ts', import.meta.url)), protocol, String(peer.port), String(concurrency), ...names], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let buffered = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    buffered += d;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const w = waiters.shift();
      if (w) w(line); else lines.push(line);
    }
  });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the storm clients exited (${code})`))));
  exited.catch(() => {});
  const nextLine = (what: string) => Promise.race([
    new Promise<string>((resolve, reject) => {
      const l = lines.shift();
      if (l !== undefined) return resolve(l);
      const timer = setTimeout(() => reject(new Error(`the storm clients: no ${what} within 120 s`)), 120_000);
      waiters.push((line) => { clearTimeout(timer); resolve(line); });
    }),
    exited,
  ]);
  if ((await nextLine('ready')) !== 'ready') throw new Error('the storm clients did not start');
  return {
    async go() {
      child.stdin!.write('go\n');
      return JSON.parse(await nextLine('logins')) as { login: Quantiles; wallMs: number };
    },
    close: () => { child.stdin!.end(); },
  };
}

export interface StormResult {
  logins: number;
  before: Quantiles;
  during: Quantiles;
  p99Ratio: number;
  stormMs: number;
  login: Quantiles;
  deliveredFraction: number;
  /** With several storms on one server: each one's ratio (the result is the median one). */
  ratios?: number[];
}

/**
 * A channel chats at a fixed rate; after `beforeMs`, `stormNames.length` clients connect and log in at
 * once. Latency of the chat messages sent while the storm lasts is compared with those sent before.
 */
export async function runLoginStorm(peer: Peer, members: Client[][], channels: string[], stormNames: string[], o: { sendersPerChannel: number; rate: number; beforeMs: number; warmupMs: number; minStormMs: number }): Promise<{ result: StormResult; close(): void }> {
  const storm = await stormClients(peer, stormNames, Math.min(stormNames.length, peer.proto.connectConcurrency));
  const senders = pickSenders(members, channels, o.sendersPerChannel);
  const senderOf = new Map(senders.map((s) => [s.client, s]));
  const before = new Samples();
  const during = new Samples();
  let beforeFrom = Infinity;
  let stormFrom = Infinity;
  let stormTo = Infinity;
  let delivered = 0;
  let expected = 0;
  const group = members[0]!;
  for (const c of group) {
    const self = senderOf.get(c)?.index ?? -1;
    c.parse = true;
    c.onLine = (line) => {
      const m = parseMark(line);
      if (!m || m[0] === self) return;
      const t = m[2];
      if (t >= beforeFrom && t < stormFrom) { before.push(performance.now() - t); delivered++; }
      else if (t >= stormFrom && t < stormTo) { during.push(performance.now() - t); delivered++; }
    };
  }
  const period = 1000 / o.rate;
  const timers: NodeJS.Timeout[] = [];
  let stop = false;
  for (const s of senders) {
    timers.push(setTimeout(() => {
      const tick = () => {
        if (stop) return;
        const now = performance.now();
        s.client.write(payload(peer.proto, s.channel, s.index, s.seq++, now));
        if (now >= beforeFrom && now < stormTo) expected += group.length - 1;
      };
      tick();
      timers.push(setInterval(tick, period));
    }, Math.random() * period));
  }
  await sleep(o.warmupMs);
  beforeFrom = performance.now();
  await sleep(o.beforeMs);
  stormFrom = performance.now();
  const conn = await storm.go();
  const stormEnd = Math.max(performance.now(), stormFrom + o.minStormMs);
  await sleep(Math.max(0, stormEnd - performance.now()));
  stormTo = performance.now();
  stop = true;
  for (const t of timers) { clearTimeout(t); clearInterval(t); }
  const drainUntil = performance.now() + 5_000;
  while (delivered < expected && performance.now() < drainUntil) await sleep(20);
  for (const c of group) c.onLine = undefined;
  const b = before.quantiles();
  const d = during.quantiles();
  return {
    close: storm.close,
    result: { logins: stormNames.length, before: b, during: d, p99Ratio: d.p99 / b.p99, stormMs: stormTo - stormFrom, login: conn.login, deliveredFraction: expected ? delivered / expected : NaN },
  };
}
