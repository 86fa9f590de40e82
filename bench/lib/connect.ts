/** Connecting, logging in and joining many benchmark clients to a peer. */
import { performance } from 'node:perf_hooks';
import { Client, pool } from './client.js';
import { Samples, type Quantiles } from './stats.js';
import type { Peer } from '../peers/servers.js';

export const userName = (prefix: string, i: number) => `${prefix}${String(i).padStart(5, '0')}`;

export interface Connected {
  clients: Client[];
  /** connect-and-login time per client, ms */
  login: Quantiles;
  /** from the first connect to the last login, ms */
  wallMs: number;
}

/** Open and log in one client per name, a protocol-dependent number at once. */
export async function connectAll(peer: Pick<Peer, 'port' | 'proto'>, names: string[], concurrency = peer.proto.connectConcurrency): Promise<Connected> {
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
