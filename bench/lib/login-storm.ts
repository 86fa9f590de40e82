/** Login-storm mode: what many logins at once do to the latency of a chat that is going on. */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from './client.js';
import { startLineChild } from './child.js';
import { procSample, threadCpuMs } from './proc.js';
import { ngircdProtocol, rawProtocol, whiskrProtocol } from './protocols.js';
import { startFixedRate } from './senders.js';
import { Samples, type Quantiles } from './stats.js';
import type { Peer } from '../peers/servers.js';

/**
 * connectAll in a child process (bench/lib/storm-child.ts), so that its work does not delay this one's
 * timing. Resolves once the child is ready; `go()` starts the logins and resolves when they are done.
 */
async function stormClients(peer: Peer, names: string[], concurrency: number): Promise<{ go(): Promise<{ login: Quantiles; wallMs: number }>; close(): void }> {
  const protocol = peer.proto === whiskrProtocol ? 'whiskr' : peer.proto === rawProtocol ? 'raw' : peer.proto === ngircdProtocol ? 'ngircd' : 'inspircd';
  const { child, nextLine, close } = await startLineChild('./storm-child.ts', [protocol, String(peer.port), String(concurrency), ...names], 'storm clients', 120_000);
  return {
    async go() {
      child.stdin!.write('go\n');
      return JSON.parse(await nextLine('logins')) as { login: Quantiles; wallMs: number };
    },
    close,
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
  /** From the first connect until the last login reply, ms (the generator's clock). */
  loginsWallMs: number;
  /** Server CPU over those ms: the whole process (main thread + the hashing threads), and its main thread alone. */
  serverCpuMs: number;
  mainThreadCpuMs: number;
  /** With several storms on one server: each one's ratio (the result is the median one). */
  ratios?: number[];
}

/**
 * A channel chats at a fixed rate; after `beforeMs`, `stormNames.length` clients connect and log in at
 * once. Latency of the chat messages sent while the storm lasts is compared with those sent before.
 */
export async function runLoginStorm(peer: Peer, members: Client[][], channels: string[], stormNames: string[], o: { sendersPerChannel: number; rate: number; beforeMs: number; warmupMs: number; minStormMs: number }): Promise<{ result: StormResult; close(): void }> {
  const storm = await stormClients(peer, stormNames, Math.min(stormNames.length, peer.proto.connectConcurrency));
  const before = new Samples();
  const during = new Samples();
  let beforeFrom = Infinity;
  let stormFrom = Infinity;
  let stormTo = Infinity;
  const chat = startFixedRate(peer, members, channels, {
    sendersPerChannel: o.sendersPerChannel, rate: o.rate,
    measured: (t) => t >= beforeFrom && t < stormTo,
    onDelivery: (t, latencyMs) => (t < stormFrom ? before : during).push(latencyMs),
  });
  await sleep(o.warmupMs);
  beforeFrom = performance.now();
  await sleep(o.beforeMs);
  stormFrom = performance.now();
  const cpu0 = procSample(peer.pid)?.cpuMs ?? NaN;
  const main0 = threadCpuMs(peer.pid);
  const conn = await storm.go();
  const serverCpuMs = (procSample(peer.pid)?.cpuMs ?? NaN) - cpu0;
  const mainThreadCpuMs = threadCpuMs(peer.pid) - main0;
  const stormEnd = Math.max(performance.now(), stormFrom + o.minStormMs);
  await sleep(Math.max(0, stormEnd - performance.now()));
  stormTo = performance.now();
  await chat.stop();
  const b = before.quantiles();
  const d = during.quantiles();
  const { expected, delivered } = chat;
  return {
    close: storm.close,
    result: { logins: stormNames.length, before: b, during: d, p99Ratio: d.p99 / b.p99, stormMs: stormTo - stormFrom, login: conn.login, deliveredFraction: expected ? delivered / expected : NaN, loginsWallMs: conn.wallMs, serverCpuMs, mainThreadCpuMs },
  };
}
