/** Rate mode: latency and delivery of chat at a fixed rate. */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from './client.js';
import { cpuWindow, procSample, selfCpuMs } from './proc.js';
import { startFixedRate } from './senders.js';
import { Samples, type Quantiles } from './stats.js';
import type { Peer } from '../peers/servers.js';

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
  const lat = new Samples();
  const measureFrom = performance.now() + o.warmupMs;
  const stopAt = measureFrom + o.durationMs;
  const chat = startFixedRate(peer, members, channels, {
    sendersPerChannel: o.sendersPerChannel, rate: o.rate, stopAt,
    measured: (t) => t >= measureFrom && t < stopAt,
    onDelivery: (_t, latencyMs) => lat.push(latencyMs),
  });
  await sleep(o.warmupMs);
  const a = procSample(peer.pid); const ga = selfCpuMs(); const ta = performance.now();
  await sleep(o.durationMs);
  const b = procSample(peer.pid); const gb = selfCpuMs(); const tb = performance.now();
  await chat.stop(o.drainMs);
  const cw = cpuWindow(a, b, ga, gb, tb - ta);
  const { sent, expected, delivered } = chat;
  return {
    senders: chat.senders, ratePerSender: o.rate, sent, expected, delivered,
    deliveredFraction: expected ? delivered / expected : NaN,
    deliveriesPerSec: delivered / (o.durationMs / 1000),
    latency: lat.quantiles(),
    serverCpuPct: (cw.serverCpuMs / cw.wallMs) * 100,
    genCpuPct: (cw.genCpuMs / cw.wallMs) * 100,
    serverRssKb: cw.serverRssKb,
  };
}
