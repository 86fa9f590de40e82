/** Idle mode: server RSS per logged-in, silent connection. */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pool, type Client } from './client.js';
import { connectAll } from './connect.js';
import { procSample } from './proc.js';
import type { Quantiles } from './stats.js';
import type { Peer } from '../peers/servers.js';

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
