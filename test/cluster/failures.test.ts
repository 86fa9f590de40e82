import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsServer, TestClient, TestCluster, account, eventually, mysqlAvailable, PASSWORD, type JsonEvent } from '../../core/testing/index.js';

const plugins = { auth: {}, channels: {}, history: { flushIntervalMs: 10 }, admin: {}, bots: {} };
const say = (c: TestClient, target: string, text: string) => c.ok(`/msg ${target} ${text}`, 'message', (e) => e.text === text);

describe.skipIf(!mysqlAvailable())('a node killed (SIGKILL) while people chat', () => {
  let c: TestCluster;
  beforeAll(async () => { c = await TestCluster.start(2, { plugins }); });
  afterAll(async () => { await c?.stop(); });

  it('its users go offline within seconds; a client reconnects to another node with its token and catches up with after=, no gap, no duplicate', async () => {
    const [a] = c.nodes;
    const proc = await c.spawn('c');
    await eventually(() => a!.server.cluster.nodes().includes('c'), 'node a to see node c');
    const ann = await a!.user('ann');
    await ann.ok('/join #ops', 'join', (e) => e.channel === '#ops');

    const bob = await TestClient.connect(proc.port);
    await bob.ok('/format json');
    const login = await bob.ok(`/register +token bob ${PASSWORD}`, 'login');
    expect(login.token).toBeTruthy();
    await eventually(() => a!.server.isOnline('bob'), 'node a to see bob online');
    await bob.ok('/join #ops', 'join', (e) => e.channel === '#ops');
    await ann.next((e) => e.type === 'join' && e.channel === '#ops' && e.user === 'bob');
    const last = await say(ann, '#ops', 'before the crash');
    await bob.next((e) => e.type === 'message' && e.id === last.id);
    await say(bob, '#ops', 'bob was here');
    await ann.next((e) => e.type === 'message' && e.text === 'bob was here');

    const killedAt = Date.now();
    proc.signal('SIGKILL');
    await proc.exited;
    const gap = [await say(ann, '#ops', 'while bob was away 1'), await say(ann, '#ops', 'while bob was away 2')];
    // Heartbeats stop: bob is offline to the others within a few seconds, and his channel mates are told.
    await ann.next((e) => e.type === 'presence' && e.user === 'bob' && e.status === 'offline', 8000);
    expect(Date.now() - killedAt).toBeLessThan(6000);
    expect(a!.server.isOnline('bob')).toBe(false);

    // The client tries the next node with its reconnect token, then asks for what it missed after the last id it saw.
    const back = await a!.json();
    await back.ok(`/resume bob ${login.token}`, 'login');
    await back.next((e) => e.type === 'history' && e.target === '#ops'); // the replay after the auto-join
    const page = await back.ok(`/history #ops after=${last.id}`, 'history', (e) => e.target === '#ops');
    const texts = page.messages.map((m: JsonEvent) => m.text);
    expect(texts).toEqual(['bob was here', ...gap.map((m) => m.text)]);
    expect(new Set(page.messages.map((m: JsonEvent) => m.id)).size).toBe(texts.length);
  });

  it('the direct messages it acknowledged but had not written are written by the nodes that got them: once, for the two people only', async () => {
    const [a, b] = c.nodes;
    // This node would write its history in ten minutes: whatever is stored of its DMs, the others wrote.
    const proc = await c.spawn('d', { plugins: { ...plugins, history: { flushIntervalMs: 600_000 } } });
    await eventually(() => a!.server.cluster.nodes().includes('d'), 'node a to see node d');
    const amy = await a!.user('amy');
    // amy is on two nodes: both get ben's DMs, both rescue them; each is stored once.
    const amy2 = await b!.login('amy');
    const cal = await b!.user('cal');
    const ben = await TestClient.connect(proc.port);
    await ben.ok('/format json');
    await ben.ok(`/register ben ${PASSWORD}`, 'login');
    await eventually(() => a!.server.isOnline('ben') && b!.server.isOnline('ben'), 'nodes a and b to see ben online');
    // Node d knows who is on a and b (ava is on a alone, cal on b alone) once it has their lists.
    await a!.user('ava');
    await eventually(async () => {
      const names = (await ben.ok('/who', 'who')).users.map((u: { name: string }) => u.name);
      return names.includes('ava') && names.includes('cal');
    }, 'node d to know who is on a and b');
    const sent: JsonEvent[] = [];
    for (const text of ['dm 1', 'dm 2', 'dm 3']) {
      sent.push(await say(ben, 'amy', text));
      for (const u of [amy, amy2]) await u.next((e) => e.type === 'message' && e.text === text);
    }
    const reply = await say(amy, 'ben', 'dm back');
    await ben.next((e) => e.type === 'message' && e.id === reply.id);

    proc.signal('SIGKILL');
    await proc.exited;
    await eventually(() => !a!.server.isOnline('ben') && !b!.server.isOnline('ben'), 'ben offline on a and b');
    const wanted = [...sent.map((m) => m.id), reply.id].sort();
    await eventually(async () => {
      const page = await amy.ok('/history ben', 'history', (e) => e.target === 'ben');
      return page.messages.length === wanted.length && page.messages.every((m: JsonEvent, i: number) => m.id === wanted[i]);
    }, "ben's DMs in amy's history, each once");
    // Written (history's pages include what is still queued): each once, though two nodes rescued them.
    const stored = () => a!.server.db('history_messages').whereIn('id', wanted).select('id').then((rows) => rows.map((r) => String(r.id)).sort());
    await eventually(async () => (await stored()).length === wanted.length, 'the rescued DMs to be written');
    expect(await stored()).toEqual(wanted);
    // Nobody else is shown them: not cal's own conversation with ben, not his search.
    expect((await cal.ok('/history ben', 'history', (e) => e.target === 'ben')).messages).toEqual([]);
    const found = await cal.request('/search dm', 'search');
    expect(JSON.stringify(found)).not.toContain('dm 1');
  });
});

describe.skipIf(!mysqlAvailable())('NATS goes away and comes back', () => {
  let nats: NatsServer;
  let c: TestCluster;
  beforeAll(async () => {
    nats = await NatsServer.start();
    c = await TestCluster.start(2, { plugins, nats: [nats.url] });
  });
  afterAll(async () => {
    await c?.stop();
    await nats?.dispose();
  });

  it('nodes serve their own users, admins and /stats say degraded; then membership resyncs and clients catch up from history, no duplicate', async () => {
    const [a, b] = c.nodes;
    await account(a!, 'root', 'admin');
    const root = await a!.login('root');
    const ann = await a!.user('ann');
    const cy = await a!.user('cy');
    const bob = await b!.user('bob');
    await account(a!, 'dee');
    for (const u of [ann, cy]) await u.ok('/join #x', 'join', (e) => e.channel === '#x');
    await eventually(() => b!.server.service('channels')?.channelName('#x'), 'node b to know #x');
    await bob.ok('/join #x', 'join', (e) => e.channel === '#x');
    await ann.next((e) => e.type === 'join' && e.channel === '#x' && e.user === 'bob');

    await nats.stop();
    await root.next((e) => e.type === 'notice' && /degraded/i.test(e.text), 8000);
    const stats = await root.ok('/stats', 'stats');
    expect(stats.cluster).toMatchObject({ node: 'a', state: 'degraded' });
    // Chat on one node goes on.
    await say(ann, '#x', 'still here on a');
    await cy.next((e) => e.type === 'message' && e.text === 'still here on a');
    // What happens on b meanwhile: a message, and a join (written to the database).
    const missed = await say(bob, '#x', 'said on b during the outage');
    const dee = await b!.login('dee');
    await dee.ok('/join #x', 'join', (e) => e.channel === '#x');
    expect(ann.has((e) => e.text === 'said on b during the outage')).toBe(false);

    await nats.run();
    const catchup = await ann.next('catchup', 15_000);
    await root.next((e) => e.type === 'notice' && /whole again/i.test(e.text));
    const page = await ann.ok(`/history #x after=${catchup.after}`, 'history', (e) => e.target === '#x');
    const texts = page.messages.map((m: JsonEvent) => m.text);
    expect(texts.filter((t: string) => t === 'said on b during the outage')).toHaveLength(1);
    expect(page.messages.some((m: JsonEvent) => m.id === missed.id)).toBe(true);
    // Membership made on b during the outage is known on a again, and the cluster is whole.
    await eventually(async () => {
      const w = await ann.ok('/who #x', 'who');
      return w.users.some((u: { name: string }) => u.name === 'dee');
    }, 'node a to know dee joined #x');
    expect((await root.ok('/stats', 'stats')).cluster.state).toBe('ok');
    await say(bob, '#x', 'after the outage');
    await ann.next((e) => e.type === 'message' && e.text === 'after the outage');
  });
});

describe.skipIf(!mysqlAvailable())('a rolling restart', () => {
  let c: TestCluster;
  beforeAll(async () => { c = await TestCluster.start(3, { plugins }); });
  afterAll(async () => { await c?.stop(); });

  it('restarts the nodes one after another while people chat: nothing lost, nothing doubled', async () => {
    const names = ['ann', 'bob', 'cy'];
    const clients: TestClient[] = [];
    for (let i = 0; i < 3; i++) {
      clients[i] = await c.nodes[i]!.user(names[i]!);
      await clients[i]!.ok('/join #roll', 'join', (e) => e.channel === '#roll');
      if (i === 0) await eventually(() => c.nodes[1]!.server.service('channels')?.channelName('#roll') && c.nodes[2]!.server.service('channels')?.channelName('#roll'), 'every node to know #roll');
    }
    const sent: string[] = [];
    const lastSeen: string[] = ['', '', ''];
    for (const restart of [1, 2, 0]) {
      // Everyone says something, and it reaches everyone.
      for (let i = 0; i < 3; i++) {
        const m = await say(clients[i]!, '#roll', `${names[i]} before restarting ${restart}`);
        sent.push(m.id);
        for (let j = 0; j < 3; j++) if (j !== i) lastSeen[j] = (await clients[j]!.next((e) => e.type === 'message' && e.id === m.id)).id;
        lastSeen[i] = m.id;
      }
      await c.nodes[restart]!.stop({ keepDatabase: true });
      const other = (restart + 1) % 3;
      sent.push((await say(clients[other]!, '#roll', `while ${restart} restarts`)).id);
      c.nodes[restart] = await c.startNode(String.fromCharCode(97 + restart));
      await c.meshed();
      // The user of the restarted node comes back (there, as a load balancer may send them) and catches up.
      const back = await c.nodes[restart]!.login(names[restart]!);
      await back.next((e) => e.type === 'history' && e.target === '#roll');
      const page = await back.ok(`/history #roll after=${lastSeen[restart]}`, 'history', (e) => e.target === '#roll');
      expect(page.messages.map((m: JsonEvent) => m.text)).toEqual([`while ${restart} restarts`]);
      clients[restart] = back;
      lastSeen[restart] = page.messages.at(-1).id;
    }
    const all = await clients[0]!.ok('/history #roll 100', 'history', (e) => e.target === '#roll');
    const ids = all.messages.map((m: JsonEvent) => m.id);
    expect(ids).toEqual([...sent].sort());
    expect(ids).toEqual(sent);
  });
});
