import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { NATS_URL, TestCluster, account, eventually, mysqlAvailable, PASSWORD, type JsonEvent, type TestClient } from '../../core/testing/index.js';

const plugins = { auth: {}, channels: {}, history: { flushIntervalMs: 10 }, admin: {}, bots: {} };
const kept = (e: JsonEvent) => e.type === 'message' && e.offline === true;

describe.skipIf(!mysqlAvailable())('kept direct messages in a cluster', () => {
  let c: TestCluster;
  beforeAll(async () => { c = await TestCluster.start(3, { plugins }); });
  afterAll(async () => { await c?.stop(); });

  const waiting = (to: string) => c.nodes[0]!.server.db('channels_offline').where({ to_key: to }).count({ n: '*' }).then(([r]) => Number(r!.n));

  it('a user logging in on two nodes at the same moment gets each kept message once', async () => {
    const [a, b, n3] = c.nodes;
    const service = a!.server.service('channels')!;
    for (let round = 0; round < 5; round++) {
      const name = `twice${round}`;
      await account(a!, name);
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) ids.push((await service.post(`sender${i % 3}`, name, `kept ${i}`)).id);
      expect(await waiting(name)).toBe(30);
      // Both logins are on the wire before either is answered: each node hands over what it claims.
      const clients: TestClient[] = [await b!.json(), await n3!.json()];
      for (const cl of clients) cl.send(`/login ${name} ${PASSWORD}`);
      for (const cl of clients) await cl.next('login');
      await eventually(async () => (await waiting(name)) === 0, `every message kept for ${name} to be handed over`);
      for (const cl of clients) await cl.sync();
      const got = clients.flatMap((cl) => cl.events.filter(kept).map((e) => e.id as string));
      expect(got.sort()).toEqual([...ids].sort());
      for (const cl of clients) cl.close();
      await eventually(() => !a!.server.isOnline(name), `node a to see ${name} offline`);
    }
  });

  it('a claim by a node that is gone is void: the next login gets the messages', async () => {
    const [a, b] = c.nodes;
    await account(a!, 'orphan');
    const sent = await a!.server.service('channels')!.post('sender', 'orphan', 'claimed by a dead node');
    // As a node killed while handing them over leaves them.
    await a!.server.db('channels_offline').where({ to_key: 'orphan' }).update({ claimed_by: 'zz:1', claimed_node: 'zz', claimed_at: Date.now() });
    const orphan = await b!.login('orphan');
    const got = await orphan.next(kept);
    expect(got.id).toBe(sent.id);
    await eventually(async () => (await waiting('orphan')) === 0, 'the message to be dropped once handed over');
  });

  it("a DM kept by a node whose view of the others lagged (it took the recipient for offline) reaches them on their node", async () => {
    const [a, b] = c.nodes;
    const pia = await b!.user('pia');
    const sy = await a!.user('sy');
    await eventually(() => a!.server.isOnline('pia'), 'node a to see pia online');
    // A delta node b never sent: node a takes pia for offline until b's next heartbeat says otherwise.
    const nc = await connect({ servers: [NATS_URL] });
    nc.publish(`${c.name}.on`, new TextEncoder().encode(JSON.stringify({ from: 'b', user: { n: 'pia' }, online: false })));
    await nc.flush();
    await nc.close();
    await eventually(() => !a!.server.isOnline('pia'), 'node a to take pia for offline');
    const sent = await sy.ok('/msg pia are you there?', 'message');
    // Kept on node a (almost always: unless b's heartbeat put a right first), then handed over on node b once
    // node a learns from b's list that pia is there.
    const got = await pia.next((e) => e.type === 'message' && e.id === sent.id, 8000);
    expect(got.text).toBe('are you there?');
    await eventually(async () => (await waiting('pia')) === 0, 'nothing kept for pia any more');
    await pia.sync();
    expect(pia.events.filter((e) => e.id === sent.id)).toHaveLength(1);
  });
});
