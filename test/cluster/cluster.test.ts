import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, Server } from '../../core/index.js';
import { TestCluster, account, eventually, mysqlAvailable, type JsonEvent } from '../../core/testing/index.js';

const plugins = { auth: { maxFailuresPerAccount: 3 }, channels: {}, history: { flushIntervalMs: 10 }, admin: {}, bots: {} };

describe.skipIf(!mysqlAvailable())('a cluster of three nodes over NATS', () => {
  let c: TestCluster;
  beforeAll(async () => { c = await TestCluster.start(3, { plugins }); });
  afterAll(async () => { await c?.stop(); });

  it('carries channel messages between users on different nodes, and joins', async () => {
    const [a, b, n3] = c.nodes;
    const ann = await a!.user('ann');
    const bob = await b!.user('bob');
    const cy = await n3!.user('cy');
    await ann.ok('/join #tea', 'join', (e) => e.channel === '#tea');
    // The channel was created on node a; b and c read it from the database.
    await eventually(() => b!.server.service('channels')?.channelName('#tea'), 'node b to know #tea');
    await eventually(() => n3!.server.service('channels')?.channelName('#tea'), 'node c to know #tea');
    await bob.ok('/join #tea', 'join', (e) => e.channel === '#tea');
    await ann.next((e) => e.type === 'join' && e.channel !== '#general' && e.user === 'bob');
    await cy.ok('/join #tea', 'join', (e) => e.channel === '#tea');
    await ann.next((e) => e.type === 'join' && e.channel !== '#general' && e.user === 'cy');
    await bob.next((e) => e.type === 'join' && e.channel !== '#general' && e.user === 'cy');
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

  it('shows presence, /who, topics and parts across nodes', async () => {
    const [a, b] = c.nodes;
    const hal = await a!.user('hal');
    await hal.ok('/join #den', 'join', (e) => e.channel === '#den');
    const ida = await b!.user('ida');
    await eventually(() => b!.server.service('channels')?.channelName('#den'), 'node b to know #den');
    await ida.ok('/join #den', 'join', (e) => e.channel === '#den');
    await hal.next((e) => e.type === 'join' && e.channel !== '#general' && e.user === 'ida');
    const who = await hal.ok('/who #den', 'who');
    expect(who.users.map((u: { name: string }) => u.name)).toEqual(['hal', 'ida']);
    await ida.ok('/topic #den cake at four', 'topic');
    await hal.next((e) => e.type === 'topic' && e.topic === 'cake at four' && e.by === 'ida');
    expect((await hal.ok('/topic #den', 'topic')).topic).toBe('cake at four');
    await ida.ok('/away brb', 'presence');
    await hal.next((e) => e.type === 'presence' && e.user === 'ida' && e.status === 'away');
    await ida.ok('/part #den', 'part');
    await hal.next((e) => e.type === 'part' && e.user === 'ida');
    await eventually(async () => {
      const w = await hal.ok('/who #den', 'who');
      return w.users.length === 1 && w.users[0].name === 'hal';
    }, '/who #den on node a to drop ida');
    // ida's last session goes: hal, who shared no channel with her any more, is not told; a fresh sharer is.
    const jo = await b!.user('jo');
    await jo.ok('/join #den', 'join', (e) => e.channel === '#den');
    await hal.next((e) => e.type === 'join' && e.channel !== '#general' && e.user === 'jo');
    jo.close();
    await hal.next((e) => e.type === 'presence' && e.user === 'jo' && e.status === 'offline');
  });

  it('a private channel reaches its members on every node, and nobody else', async () => {
    const [a, b, n3] = c.nodes;
    const kim = await a!.user('kim');
    const lou = await b!.user('lou');
    const max = await n3!.user('max');
    await eventually(() => a!.server.isOnline('lou') && a!.server.isOnline('max'), 'node a to see lou and max');
    await kim.ok('/channel create #plot lou', 'join', (e) => e.channel === '#plot');
    const joined = await lou.next((e) => e.type === 'join' && e.channel === '#plot');
    expect(joined.private).toBe(true);
    await kim.ok('/msg #plot the cake is a lie', 'message');
    await lou.next((e) => e.type === 'message' && e.text === 'the cake is a lie');
    await eventually(() => n3!.server.service('channels')?.channelName('#plot'), 'node c to know #plot');
    await max.fails('/join #plot', 'NO_SUCH_CHANNEL');
    const list = await max.ok('/channels', 'channels');
    expect(JSON.stringify(list)).not.toContain('#plot');
    const seen = max.events.length;
    await lou.ok('/msg #plot max cannot read this', 'message');
    await kim.next((e) => e.type === 'message' && e.text === 'max cannot read this');
    await max.sync();
    expect(max.events.slice(seen).some((e: JsonEvent) => JSON.stringify(e).includes('#plot') || JSON.stringify(e).includes('max cannot'))).toBe(false);
  });

  it('moderation reaches every node: /kick, /ban, /mute, /wall', async () => {
    const [a, b, n3] = c.nodes;
    await account(a!, 'root', 'admin');
    const root = await a!.login('root');
    const nia = await b!.user('nia');
    const oz = await n3!.user('oz');
    const pat = await b!.user('pat');
    await eventually(() => a!.server.isOnline('nia') && a!.server.isOnline('oz') && a!.server.isOnline('pat'), 'node a to see nia, oz, pat');

    await root.ok('/wall tea is served', 'ok');
    for (const u of [nia, oz, pat]) await u.next((e) => e.type === 'notice' && e.text?.includes('tea is served'));

    await root.ok('/kick nia enough', 'ok');
    await nia.next((e) => e.type === 'kicked' && e.by === 'root');
    await nia.waitClosed();
    await eventually(() => !a!.server.isOnline('nia'), 'nia offline on node a');

    await root.ok('/mute oz 10m hush', 'ok');
    await eventually(async () => (await oz.request('/msg #general hello?', 'message')).code === 'MUTED', 'oz to be muted on node c');

    await root.ok('/ban pat 1h spam', 'ok');
    await pat.waitClosed();
    const again = await n3!.json();
    await again.fails('/login pat correct horse battery', 'BANNED');
  });

  it('bots answer once, whichever node the asker and the readers are on', async () => {
    const [a, b, n3] = c.nodes;
    const quin = await a!.user('quin');
    const rae = await b!.user('rae');
    const sid = await n3!.user('sid');
    for (const u of [quin, rae, sid]) await u.ok('/join #dice', 'join', (e) => e.channel === '#dice');
    await quin.ok('/channel invite #dice dice', 'ok');
    await rae.next((e) => e.type === 'join' && e.channel === '#dice' && e.user === 'dice');
    await quin.ok('/msg #dice !roll 2d6', 'message');
    const answer = await sid.next((e) => e.type === 'message' && e.from === 'dice');
    await rae.next((e) => e.type === 'message' && e.id === answer.id);
    await quin.next((e) => e.type === 'message' && e.id === answer.id);
    for (const u of [quin, rae, sid]) await u.sync();
    for (const u of [quin, rae, sid]) expect(u.events.filter((e: JsonEvent) => e.type === 'message' && e.from === 'dice')).toHaveLength(1);
  });

  it('counts failed logins on every node toward one limit', async () => {
    const [a, b, n3] = c.nodes;
    await account(a!, 'tia');
    const guess = [await a!.json(), await b!.json(), await n3!.json()];
    for (const g of guess) await g.fails('/login tia wrong-password', 'INVALID_CREDENTIALS');
    // Three failures, one on each node: the fourth try is refused wherever it goes.
    await eventually(async () => (await guess[0]!.request('/login tia wrong-password', '__never__')).code === 'RATE_LIMITED', 'the limit on node a');
    await guess[1]!.fails('/login tia correct horse battery', 'RATE_LIMITED');
  });

  it('many users on every node joining a new channel at once all get in: one channel, created once', async () => {
    const users = await Promise.all(Array.from({ length: 12 }, (_, i) => c.nodes[i % 3]!.user(`rush${i}`)));
    const replies = await Promise.all(users.map((u) => u.request('/join #rush', 'join', (e) => e.channel === '#rush')));
    expect(replies.filter((r) => r.type === 'error')).toEqual([]);
    for (const n of c.nodes) await eventually(() => n.server.service('channels')?.present('#rush')?.filter((x) => x.startsWith('rush')).length === 12, `node ${n.server.cluster.node} to see all 12 in #rush`);
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
