/**
 * Reconnect-wave mode: N members of one big channel come back at once (bench/lib/wave-child.ts) while a
 * 50-member channel chats; time until all are logged in and caught up, server CPU per login, and what
 * the wave does to the chat's latency.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from './client.js';
import { startLineChild } from './child.js';
import { procSample, selfCpuMs } from './proc.js';
import { ngircdProtocol, whiskrProtocol } from './protocols.js';
import { startFixedRate } from './senders.js';
import { Samples, type Quantiles } from './stats.js';
import type { Peer } from '../peers/servers.js';

/** The wave's clients in a child process; `send(cmd)` resolves with its JSON answer. */
async function waveClients(peer: Peer, prefix: string, count: number): Promise<{ pid: number; send<T>(cmd: string): Promise<T>; close(): void }> {
  const protocol = peer.proto === whiskrProtocol ? 'whiskr' : peer.proto === ngircdProtocol ? 'ngircd' : 'inspircd';
  const { child, nextLine, close } = await startLineChild('./wave-child.ts', [protocol, String(peer.port), prefix, String(count)], 'wave clients', 1_900_000);
  return {
    pid: child.pid!,
    async send<T>(cmd: string) { child.stdin!.write(`${cmd}\n`); return JSON.parse(await nextLine(cmd)) as T; },
    close,
  };
}

export interface WaveResult {
  clients: number;
  /** Whiskr: logging every account in once with a token beforehand (untimed setup), ms. */
  prepareMs?: number;
  /** From the first connect until the last client is caught up, ms. */
  wallMs: number;
  /** until every connection was open, ms */
  connectedMs: number;
  /** per client, from its connect: the login reply (IRC: end of MOTD) / caught up (history; IRC: end of NAMES) */
  loggedIn: Quantiles;
  caughtUp: Quantiles;
  loginsPerSec: number;
  serverCpuMs: number;
  serverCpuPerLoginMs: number;
  /** the same without what the chat costs the server meanwhile (its CPU share before the wave × the wave's time) */
  serverCpuPerLoginNetMs: number;
  /** the server's CPU share (1 = one core) while only the chat ran */
  chatCpuShare: number;
  /** server CPU over the wave / wall time (1 = one core) */
  serverCpuShare: number;
  /** the generator's CPU over the wave / wall time: the timing process (chat) and the wave's clients */
  genCpuShare: number;
  waveChildCpuShare: number;
  /** bytes the wave's clients received over the wave, per client; of which their own replies (Whiskr: login, join with members, history) */
  bytesPerLogin: number;
  ownReplyBytesPerLogin: number;
  /** the wave's start and end on the monotonic clock (µs), which V8's CPU profiles use: `bench/profile.ts --window` */
  monotonicUs: [number, number];
  before: Quantiles;
  during: Quantiles;
  p99Ratio: number;
  deliveredFraction: number;
}

/**
 * `count` clients named `prefix`NNNNN reconnect at once (Whiskr: after one `/login +token` each) while
 * the `members` chat in `channels` at a fixed rate. The wave's figures are taken from its child's answer;
 * server CPU from /proc between just before `go` and its answer.
 */
export async function runWave(peer: Peer, members: Client[][], channels: string[], prefix: string, count: number, o: { sendersPerChannel: number; rate: number; beforeMs: number; warmupMs: number; minWaveMs: number; log(msg: string): void }): Promise<{ result: WaveResult; close(): void }> {
  const wave = await waveClients(peer, prefix, count);
  try {
    let prepareMs: number | undefined;
    if (peer.proto === whiskrProtocol) {
      const p = await wave.send<{ prepared: number; ms: number }>('prepare');
      prepareMs = p.ms;
      o.log(`  ${peer.kind} wave: ${p.prepared} reconnect tokens in ${Math.round(p.ms)} ms (setup)`);
    }
    const before = new Samples();
    const during = new Samples();
    let beforeFrom = Infinity;
    let waveFrom = Infinity;
    let waveTo = Infinity;
    const chat = startFixedRate(peer, members, channels, {
      sendersPerChannel: o.sendersPerChannel, rate: o.rate,
      measured: (t) => t >= beforeFrom && t < waveTo,
      onDelivery: (t, latencyMs) => (t < waveFrom ? before : during).push(latencyMs),
    });
    await sleep(o.warmupMs);
    beforeFrom = performance.now();
    const sb = procSample(peer.pid);
    await sleep(o.beforeMs);
    const s0 = procSample(peer.pid);
    const c0 = procSample(wave.pid);
    const g0 = selfCpuMs();
    waveFrom = performance.now();
    const mono0 = process.hrtime.bigint();
    const r = await wave.send<{ loggedIn: Quantiles; caughtUp: Quantiles; connectedMs: number; wallMs: number; cpuMs: number; bytes: number; ownReplyBytes: number }>('go');
    const waveEnd = performance.now();
    const mono1 = process.hrtime.bigint();
    const s1 = procSample(peer.pid);
    const c1 = procSample(wave.pid);
    const g1 = selfCpuMs();
    await sleep(Math.max(0, waveFrom + o.minWaveMs - performance.now()));
    waveTo = performance.now();
    await chat.stop();
    const b = before.quantiles();
    const d = during.quantiles();
    const wallMs = waveEnd - waveFrom;
    const serverCpuMs = (s1?.cpuMs ?? NaN) - (s0?.cpuMs ?? NaN);
    const childCpu = (c1?.cpuMs ?? NaN) - (c0?.cpuMs ?? NaN);
    // What the chat alone costs the server, per ms (read over the time before the wave).
    const chatCpuPerMs = ((s0?.cpuMs ?? NaN) - (sb?.cpuMs ?? NaN)) / (waveFrom - beforeFrom);
    return {
      close: wave.close,
      result: {
        clients: count, prepareMs, wallMs, connectedMs: r.connectedMs, loggedIn: r.loggedIn, caughtUp: r.caughtUp,
        loginsPerSec: count / (r.wallMs / 1000), serverCpuMs, serverCpuPerLoginMs: serverCpuMs / count,
        serverCpuPerLoginNetMs: (serverCpuMs - chatCpuPerMs * wallMs) / count, chatCpuShare: chatCpuPerMs,
        serverCpuShare: serverCpuMs / wallMs, genCpuShare: (g1 - g0 + childCpu) / wallMs, waveChildCpuShare: childCpu / wallMs,
        bytesPerLogin: r.bytes / count, ownReplyBytesPerLogin: peer.proto === whiskrProtocol ? r.ownReplyBytes / count : NaN,
        monotonicUs: [Number(mono0 / 1000n), Number(mono1 / 1000n)],
        before: b, during: d, p99Ratio: d.p99 / b.p99, deliveredFraction: chat.expected ? chat.delivered / chat.expected : NaN,
      },
    };
  } catch (err) { wave.close(); throw err; }
}
