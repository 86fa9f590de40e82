import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, TestCluster, account, eventually, mysqlAvailable } from '../../core/testing/index.js';
import { RawIrc } from './testing.js';

const plugins = { auth: {}, channels: {}, history: { flushIntervalMs: 10 }, irc: { port: 0 } };

/** The IRC listener on two nodes: what only its own plugin carries between them (invite-notify). */
describe.skipIf(!mysqlAvailable())('the IRC listener in a cluster', () => {
  let c: TestCluster;
  const open: RawIrc[] = [];
  beforeAll(async () => { c = await TestCluster.start(2, { plugins }); });
  afterAll(async () => {
    for (const r of open) r.close();
    await c?.stop();
  });

  it('invite-notify reaches members on the other node; a user leaving there is one QUIT here', async () => {
    const [a, b] = c.nodes;
    await account(b!, 'ivy');
    await account(b!, 'outsider');
    const ivy = await RawIrc.connect(b!);
    open.push(ivy);
    ivy.send('CAP LS 302', 'CAP REQ :invite-notify', 'CAP END');
    await ivy.register('ivy', `:ivy:${PASSWORD}`);
    await ivy.next(/ 366 ivy #general /);
    const bob = await a!.user('bob');
    await bob.ok('/join #side', 'join', (e) => e.channel === '#side');
    await ivy.next(/^:bob!bob@whiskr JOIN #general$/);
    ivy.send('JOIN #side');
    await ivy.next(/ 366 ivy #side /);
    await bob.next((e) => e.type === 'join' && e.channel === '#side' && e.user === 'ivy');

    await bob.ok('/channel invite #general outsider');
    await ivy.next(/^:bob!bob@whiskr INVITE outsider #general$/);

    bob.send('/quit see you');
    await ivy.next(/^:bob!bob@whiskr QUIT :see you$/);
    await eventually(() => !b!.server.isOnline('bob'), 'node b to see bob gone');
    ivy.send('PING :done');
    await ivy.next(/ PONG \S+ :?done$/);
    expect(ivy.lines.filter((l) => /^:bob!bob@whiskr (QUIT|PART)/.test(l))).toEqual([':bob!bob@whiskr QUIT :see you']);
  });
});
