/**
 * Who sends in a channel, and the fixed-rate chat that the rate mode and the login storm both measure:
 * senders write at a steady rate, every member parses every line, and each delivery of a measured
 * message is timed against the timestamp in its payload.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from './client.js';
import { parseMark, payload } from './protocols.js';
import type { Peer } from '../peers/servers.js';

export interface Sender { client: Client; channel: string; index: number; seq: number; inflight: number }

/** The first `perChannel` members of each channel send; the last member never does (it is the probe). */
export function pickSenders(members: Client[][], channels: string[], perChannel: number): Sender[] {
  const out: Sender[] = [];
  channels.forEach((channel, k) => {
    for (let j = 0; j < perChannel && j < members[k]!.length - 1; j++) out.push({ client: members[k]![j]!, channel, index: out.length, seq: 0, inflight: 0 });
  });
  return out;
}

export interface FixedRateOptions {
  sendersPerChannel: number;
  /** messages per second per sender */
  rate: number;
  /** No sender writes at or after this time (performance.now()); default: until stop(). */
  stopAt?: number;
  /** Whether a message sent at `sentAt` counts: its deliveries are expected, timed and counted. */
  measured(sentAt: number): boolean;
  /** A measured message reached a member other than its sender, `latencyMs` after it was sent. */
  onDelivery(sentAt: number, latencyMs: number): void;
}

export interface FixedRateChat {
  /** how many clients send */
  readonly senders: number;
  /** measured messages sent so far */
  readonly sent: number;
  /** deliveries of the measured messages: one per member other than the sender */
  readonly expected: number;
  readonly delivered: number;
  /** Stop sending, wait (at most drainMs) until every expected delivery has arrived, and stop listening. */
  stop(drainMs?: number): Promise<void>;
}

/** Start the senders (their phases spread over one period so the load is even) and the listeners. */
export function startFixedRate(peer: Peer, members: Client[][], channels: string[], o: FixedRateOptions): FixedRateChat {
  const senders = pickSenders(members, channels, o.sendersPerChannel);
  const senderOf = new Map(senders.map((s) => [s.client, s]));
  let sent = 0;
  let expected = 0;
  let delivered = 0;
  for (const group of members) {
    for (const c of group) {
      const self = senderOf.get(c)?.index ?? -1;
      c.parse = true;
      // Lines that are not benchmark messages still reach the login's handler (IRC answers PINGs there).
      const prev = c.onLine;
      c.onLine = (line) => {
        const m = parseMark(line);
        if (!m) { if (prev && !line.includes('"type":"message"')) prev(line); return; }
        if (m[0] === self || !o.measured(m[2])) return;
        delivered++;
        o.onDelivery(m[2], performance.now() - m[2]);
      };
    }
  }
  const membersOf = new Map(channels.map((ch, k) => [ch, members[k]!.length]));
  const period = 1000 / o.rate;
  const stopAt = o.stopAt ?? Infinity;
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;
  for (const s of senders) {
    timers.push(setTimeout(() => {
      const tick = () => {
        const now = performance.now();
        if (stopped || now >= stopAt) return;
        s.client.write(payload(peer.proto, s.channel, s.index, s.seq++, now));
        if (o.measured(now)) { sent++; expected += membersOf.get(s.channel)! - 1; }
      };
      tick();
      timers.push(setInterval(tick, period));
    }, Math.random() * period));
  }
  return {
    senders: senders.length,
    get sent() { return sent; },
    get expected() { return expected; },
    get delivered() { return delivered; },
    async stop(drainMs = 5_000) {
      stopped = true;
      for (const t of timers) { clearTimeout(t); clearInterval(t); }
      const drainUntil = performance.now() + drainMs;
      while (delivered < expected && performance.now() < drainUntil) await sleep(20);
      for (const group of members) for (const c of group) c.onLine = undefined;
    },
  };
}
