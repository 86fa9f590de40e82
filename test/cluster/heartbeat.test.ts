import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { NATS_URL, TestCluster, eventually, mysqlAvailable } from '../../core/testing/index.js';

const plugins = { auth: {}, channels: {}, history: { flushIntervalMs: 10 }, admin: {}, bots: {} };
const enc = new TextEncoder();
const dec = new TextDecoder();

describe.skipIf(!mysqlAvailable())('heartbeats', () => {
  let c: TestCluster;
  let nc: NatsConnection;
  beforeAll(async () => {
    c = await TestCluster.start(2, { plugins });
    nc = await connect({ servers: [NATS_URL] });
  });
  afterAll(async () => {
    await nc?.close();
    await c?.stop();
  });

  it('carry a digest of the users, not their list, whatever the number of users', async () => {
    const [a, b] = c.nodes;
    await Promise.all(Array.from({ length: 40 }, (_, i) => b!.user(`hb${i}`)));
    await eventually(() => a!.server.isOnline('hb39') && a!.server.isOnline('hb0'), 'node a to see the 40 users of node b');
    const beats: { size: number; body: Record<string, unknown> }[] = [];
    const sub = nc.subscribe(`${c.name}.hb`, {
      callback: (_err, msg) => {
        const body = JSON.parse(dec.decode(msg.data)) as Record<string, unknown>;
        if (body.node === 'b') beats.push({ size: msg.data.length, body });
      },
    });
    await eventually(() => beats.length >= 2, 'two heartbeats of node b');
    sub.unsubscribe();
    for (const beat of beats) {
      expect(beat.body.users).toBeUndefined();
      expect(beat.body.digest).toMatch(/^40:/);
      expect(beat.size).toBeLessThan(120);
    }
  });

  it('a view that disagrees with the digest (a presence delta lost or wrong) is put right from the full list, within seconds', async () => {
    const [a] = c.nodes;
    // A delta node b never sent: node a now counts a user on b who is not there.
    nc.publish(`${c.name}.on`, enc.encode(JSON.stringify({ from: 'b', user: { n: 'ghost' }, online: true })));
    await eventually(() => a!.server.isOnline('ghost'), 'node a to take the false delta');
    const since = Date.now();
    await eventually(() => !a!.server.isOnline('ghost'), 'node a to correct its view of node b', 5000);
    expect(Date.now() - since).toBeLessThan(3000);
    // And a user who really is on b stays.
    expect(a!.server.isOnline('hb0')).toBe(true);
  });
});
