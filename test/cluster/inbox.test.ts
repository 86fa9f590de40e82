import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster, account, eventually, mysqlAvailable, PASSWORD, type JsonEvent, type TestClient } from '../../core/testing/index.js';

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
});
