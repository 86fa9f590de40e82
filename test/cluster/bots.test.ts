import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster, eventually, mysqlAvailable, type JsonEvent, type TestClient } from '../../core/testing/index.js';

const plugins = { auth: {}, channels: {}, history: { flushIntervalMs: 10 }, admin: {}, bots: {} };
const from = (bot: string, text: RegExp) => (e: JsonEvent) => e.type === 'message' && e.from === bot && e.channel === '#general' && text.test(e.text);
const say = (c: TestClient, text: string) => c.ok(`/msg #general ${text}`, 'message', (e) => e.text === text);

describe.skipIf(!mysqlAvailable())('bots in a cluster', () => {
  let c: TestCluster;
  beforeAll(async () => { c = await TestCluster.start(3, { plugins }); });
  afterAll(async () => { await c?.stop(); });

  it('a poll counts each vote once, whichever node the voters are on, and a vote sent from two nodes at once is one vote', async () => {
    const [a, b, n3] = c.nodes;
    const ana = await a!.user('ana');
    const bo = await b!.user('bo');
    const cid = await n3!.user('cid');
    const vic = await a!.user('vic');
    const vic2 = await b!.login('vic');
    await say(ana, '!poll tea or coffee? | tea | coffee');
    const opened = await cid.next(from('poll', /opened poll #\d+/));
    await bo.ok('/msg #general !vote 1', 'message');
    await bo.next(from('poll', /^bo: vote counted — tea/));
    await cid.ok('/msg #general !vote coffee', 'message');
    await cid.next(from('poll', /^cid: vote counted — coffee/));
    // bo changes his mind on node b; vic votes from both her sessions, on two nodes, at the same moment.
    await bo.ok('/msg #general !vote 2', 'message');
    await bo.next(from('poll', /^bo: vote changed from tea — coffee/));
    vic.send('/msg #general !vote tea');
    vic2.send('/msg #general !vote tea');
    await eventually(() => ana.events.filter(from('poll', /^vic: /)).length === 2, "both answers to vic's votes");
    await say(ana, '!poll close');
    const result = await cid.next(from('poll', /\(closed by ana\)/));
    expect(result.text).toContain('tea 1 (33%), coffee 2 (67%) — 3 votes');
    expect(result.text).toContain('Winner: coffee');
    // Each answer came once, to everyone on every node.
    for (const u of [ana, bo, cid]) await u.sync();
    for (const u of [ana, bo, cid]) {
      expect(u.events.filter((e) => e.id === opened.id)).toHaveLength(1);
      expect(u.events.filter(from('poll', /\(closed by ana\)/))).toHaveLength(1);
    }
  });

  it('a reminder every node has scheduled fires once', async () => {
    const [a] = c.nodes;
    const rex = await a!.user('rex');
    await say(rex, '!remind 6s stretch');
    await rex.next(from('remind', /^rex: OK, I'll remind you here/));
    // Nodes b and c start again: each schedules what is due soon, this reminder among them.
    for (const i of [1, 2]) {
      await c.nodes[i]!.stop({ keepDatabase: true });
      c.nodes[i] = await c.startNode(String.fromCharCode(97 + i));
    }
    await c.meshed();
    const watchers = [rex, await c.nodes[1]!.login('rex'), await c.nodes[2]!.user('sam')];
    expect(await a!.server.db('bots_reminders').count({ n: '*' }).then(([r]) => Number(r!.n))).toBe(1);
    for (const w of watchers) await w.next(from('remind', /^rex: reminder — stretch/), 10_000);
    // Delivered (the row is gone): no node can fire it again.
    await eventually(async () => Number((await a!.server.db('bots_reminders').count({ n: '*' }))[0]!.n) === 0, 'the reminder to be done');
    for (const w of watchers) await w.sync();
    for (const w of watchers) expect(w.events.filter(from('remind', /reminder — stretch/))).toHaveLength(1);
  });
});
