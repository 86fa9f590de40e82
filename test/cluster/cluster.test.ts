import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, Server } from '../../core/index.js';
import { TestCluster, eventually, mysqlAvailable, type JsonEvent } from '../../core/testing/index.js';

const plugins = { auth: {}, channels: {}, history: {}, admin: {}, bots: {} };

describe.skipIf(!mysqlAvailable())('a cluster of three nodes over NATS', () => {
  let c: TestCluster;
  beforeAll(async () => { c = await TestCluster.start(3, { plugins }); });
  afterAll(async () => { await c?.stop(); });

  it('carries channel messages between users on different nodes, and joins', async () => {
    const [a, b, n3] = c.nodes;
    const ann = await a!.user('ann');
    const bob = await b!.user('bob');
    const cy = await n3!.user('cy');
    await ann.ok('/join #tea', 'join');
    // The channel was created on node a; b and c read it from the database.
    await eventually(() => b!.server.service('channels')?.channelName('#tea'), 'node b to know #tea');
    await eventually(() => n3!.server.service('channels')?.channelName('#tea'), 'node c to know #tea');
    await bob.ok('/join #tea', 'join');
    await ann.next((e) => e.type === 'join' && e.user === 'bob');
    await cy.ok('/join #tea', 'join');
    await ann.next((e) => e.type === 'join' && e.user === 'cy');
    await bob.next((e) => e.type === 'join' && e.user === 'cy');
    await ann.ok('/msg #tea hello from a', 'message');
    for (const u of [bob, cy]) {
      const m = await u.next((e) => e.type === 'message' && e.text === 'hello from a');
      expect(m).toMatchObject({ from: 'ann', channel: '#tea' });
    }
    await cy.ok('/msg #tea and from c', 'message');
    await ann.next((e) => e.type === 'message' && e.text === 'and from c');
    await bob.next((e) => e.type === 'message' && e.text === 'and from c');
  });

  it('delivers a DM to the recipient on another node, and keeps one for an offline user exactly once', async () => {
    const [a, b] = c.nodes;
    const dee = await a!.user('dee');
    const eve = await b!.user('eve');
    await eventually(() => a!.server.isOnline('eve'), 'node a to see eve online');
    await dee.ok('/msg eve psst', 'message');
    const got = await eve.next((e) => e.type === 'message' && e.text === 'psst');
    expect(got).toMatchObject({ from: 'dee', to: 'eve' });
    expect(got.offline).toBeUndefined();

    const fay = await b!.user('fay');
    await fay.ok('/quit', 'bye').catch(() => {});
    fay.close();
    await eventually(() => !a!.server.isOnline('fay'), 'node a to see fay offline');
    await dee.ok('/msg fay while you were out', 'message');
    const back = await c.nodes[2]!.login('fay');
    const kept = await back.next((e) => e.type === 'message' && e.text === 'while you were out');
    expect(kept.offline).toBe(true);
    await back.sync();
    expect(back.events.filter((e: JsonEvent) => e.text === 'while you were out')).toHaveLength(1);
  });

  it('issues ids unique and in time order across nodes', async () => {
    const ids = c.nodes.flatMap((n) => Array.from({ length: 200 }, () => n.server.ids.next()));
    expect(new Set(ids).size).toBe(ids.length);
    const slots = c.nodes.map((n) => n.server.clusterNode!.slot);
    expect(new Set(slots).size).toBe(3);
  });

  it('a user offline everywhere once their node leaves', async () => {
    const gus = await c.nodes[2]!.user('gus');
    await eventually(() => c.nodes[0]!.server.isOnline('gus'), 'node a to see gus online');
    gus.close();
    await eventually(() => !c.nodes[0]!.server.isOnline('gus'), 'node a to see gus offline');
  });
});

describe('cluster settings', () => {
  it('refuses a cluster on SQLite with a clear error, before anything is opened', async () => {
    const config = loadConfig(undefined, { database: 'sqlite::memory:' }, { WHISKR_NATS_URL: 'nats://127.0.0.1:4222', WHISKR_NODE: 'a' } as NodeJS.ProcessEnv);
    expect(config.config.cluster.nats).toEqual(['nats://127.0.0.1:4222']);
    const server = new Server({ config, logSink: { write() {} } });
    await expect(server.start()).rejects.toThrow(ConfigError);
    await expect(server.start()).rejects.toThrow(/a cluster needs a database every node shares/);
  });

  it('one node without cluster settings has no cluster', async () => {
    const config = loadConfig(undefined, {}, {} as NodeJS.ProcessEnv);
    expect(config.config.cluster.nats).toEqual([]);
    const server = new Server({ config, logSink: { write() {} } });
    expect(server.cluster.enabled).toBe(false);
    expect(server.clusterNode).toBeUndefined();
  });
});
