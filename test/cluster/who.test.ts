import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster, account, eventually, mysqlAvailable, type JsonEvent } from '../../core/testing/index.js';

const plugins = { auth: {}, channels: {}, history: { flushIntervalMs: 10 }, admin: {}, bots: {} };
const people = (who: JsonEvent) => who.users.filter((u: { bot: boolean }) => !u.bot);

describe.skipIf(!mysqlAvailable())('/who and /whois in a cluster', () => {
  let c: TestCluster;
  beforeAll(async () => { c = await TestCluster.start(3, { plugins }); });
  afterAll(async () => { await c?.stop(); });

  it('show the role and away text of users on other nodes as on their own node', async () => {
    const [a, b, n3] = c.nodes;
    await account(a!, 'boss', 'admin');
    const boss = await a!.login('boss');
    const kit = await b!.user('kit');
    const lee = await n3!.user('lee');
    for (const u of [boss, kit, lee]) await u.ok('/join #hall', 'join', (e) => e.channel === '#hall');
    await boss.ok('/away lunch', 'presence');
    await kit.ok('/away meeting', 'presence');
    const expected = [
      { name: 'boss', status: 'away', role: 'admin', bot: false },
      { name: 'kit', status: 'away', role: 'user', bot: false },
      { name: 'lee', status: 'online', role: 'user', bot: false },
    ];
    // Every node gives the same answer, whoever asks and wherever each person is.
    for (const asker of [boss, kit, lee]) {
      await eventually(async () => JSON.stringify(people(await asker.ok('/who #hall', 'who'))) === JSON.stringify(expected), '/who #hall to be the same on every node');
      await eventually(async () => JSON.stringify(people(await asker.ok('/who', 'who'))) === JSON.stringify(expected), '/who to list everyone on every node');
      expect(await asker.ok('/whois boss', 'whois')).toMatchObject({ user: 'boss', status: 'away', role: 'admin', text: 'lunch' });
      expect(await asker.ok('/whois kit', 'whois')).toMatchObject({ user: 'kit', status: 'away', role: 'user', text: 'meeting' });
    }
    await boss.ok('/away', 'presence');
    await eventually(async () => (await lee.ok('/whois boss', 'whois')).status === 'online', 'node c to see boss back');
    expect((await lee.ok('/whois boss', 'whois')).text).toBeUndefined();
  });

  it("a user's away text is that of all their sessions, on every node", async () => {
    const [a, b, n3] = c.nodes;
    const moe = await a!.user('moe');
    const moe2 = await b!.login('moe');
    const ned = await n3!.user('ned');
    await moe2.ok('/away gone fishing', 'presence');
    // The session on node a takes it: asked there, or of node a from node c, moe is away.
    await eventually(async () => (await moe.ok('/whois moe', 'whois')).text === 'gone fishing', 'node a to take the away text');
    await eventually(async () => (await ned.ok('/whois moe', 'whois')).text === 'gone fishing', 'node c to show it');
    // A new session, on a third node, shares it too.
    const moe3 = await n3!.login('moe');
    expect(await moe3.ok('/whois moe', 'whois')).toMatchObject({ status: 'away', text: 'gone fishing' });
    await moe.ok('/away', 'presence');
    for (const u of [moe2, moe3, ned]) await eventually(async () => (await u.ok('/whois moe', 'whois')).status === 'online', 'moe back everywhere');
  });
});
