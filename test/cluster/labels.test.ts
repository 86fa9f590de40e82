import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster, eventually, mysqlAvailable, type JsonEvent, type TestClient } from '../../core/testing/index.js';

const plugins = { auth: {}, channels: {}, history: { flushIntervalMs: 10 } };

/** The events labeled `label`, once its `end` has come. */
async function labeled(c: TestClient, label: string): Promise<JsonEvent[]> {
  await c.next((e) => e.type === 'end' && e.label === label);
  return c.events.filter((e) => e.label === label);
}

/**
 * Request labels on a cluster: the reply is the labeled session's own, wherever the other people are; what
 * travels over NATS to other nodes (and to the user's own sessions there) carries no label.
 */
describe.skipIf(!mysqlAvailable())('request labels on a cluster of two nodes', () => {
  let c: TestCluster;
  beforeAll(async () => { c = await TestCluster.start(2, { plugins }); });
  afterAll(async () => { await c?.stop(); });

  it("labels the sender's reply only: not the recipient's copy on another node, nor the sender's other session there", async () => {
    const [a, b] = c.nodes;
    const ann = await a!.user('ann');
    const bob = await b!.user('bob');
    const annOnB = await b!.login('ann');
    await eventually(() => a!.server.isOnline('bob'), 'node a to see bob online');

    ann.send('@label=d1 /msg bob psst');
    const reply = await labeled(ann, 'd1');
    expect(reply.map((e) => [e.type, e.text])).toEqual([['message', 'psst'], ['end', undefined]]);
    for (const other of [bob, annOnB]) {
      const copy = await other.next((e) => e.type === 'message' && e.text === 'psst');
      expect(copy.label).toBeUndefined();
    }

    // A channel made on node b: joined from node a, the join and its replay are the reply.
    await bob.ok('/join #tea', 'join', (e) => e.channel === '#tea');
    await eventually(() => a!.server.service('channels')?.channelName('#tea'), 'node a to know #tea');
    ann.send('@label=j1 /join #tea');
    const join = await labeled(ann, 'j1');
    expect(join.map((e) => e.type)).toEqual(['join', 'history', 'end']);
    expect(join[1]).toMatchObject({ target: '#tea' });
    const seen = await bob.next((e) => e.type === 'join' && e.channel === '#tea' && e.user === 'ann');
    expect(seen.label).toBeUndefined();
  });
});
