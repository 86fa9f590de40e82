/** Saturation mode: deliveries per second and server CPU per delivery with a bounded window in flight. */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from './client.js';
import { parseMark, payload } from './protocols.js';
import { cpuWindow, procSample, selfCpuMs } from './proc.js';
import { pickSenders, type Sender } from './senders.js';
import { Samples, round, type Quantiles } from './stats.js';
import type { Peer } from '../peers/servers.js';

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
  const cw = cpuWindow(a, b, ga, gb, tb - ta);
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
