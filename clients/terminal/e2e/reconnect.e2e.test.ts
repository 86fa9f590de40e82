import { afterEach, describe, expect, it } from 'vitest';
import { TestServer, databaseKinds } from '../../../core/testing/index.js';
import { hasTmux, Tmux } from './tmux.js';

/**
 * Reconnects as a user lives them, in a real terminal: `WHISKR_CLIENT_BACKOFF` holds the client's wait
 * before reconnecting long enough for the test to act while it waits.
 */
let server: TestServer | undefined;
let tmux: Tmux | undefined;
afterEach(async () => { tmux?.kill(); tmux = undefined; await server?.stop(); server = undefined; });

const PLUGINS = { auth: {}, channels: {}, history: {} };
const drop = (s: TestServer, name: string) => { for (const session of s.server.sessionsOf(name)) s.server.closeSession(session, 'test drop'); };
const rows = (screen: string) => screen.trimEnd().split('\n').map((r) => r.trimEnd());

describe.skipIf(!hasTmux)('terminal client: reconnects (tmux)', () => {
  it('/quit <text> leaves with that text', async () => {
    server = await TestServer.start({ plugins: PLUGINS });
    const bob = await server.user('bob');
    tmux = new Tmux();
    tmux.start({ port: server.port });
    await tmux.login('dave', 'correct horse battery', true);
    await tmux.waitFor('+ bob');
    tmux.type('/quit see you tomorrow');
    tmux.keys('Enter');
    const part = await bob.next((e) => e.type === 'part' && e.user === 'dave');
    expect(part.text).toBe('see you tomorrow');
    await tmux.waitFor('client exited: 0');
  }, 30_000);

  it('the retry countdown counts down, and /reconnect works while waiting and after a kick', async () => {
    server = await TestServer.start({ plugins: { ...PLUGINS, admin: {} } });
    await server.server.service('auth')!.createUser('root', 'correct horse battery', 'admin');
    const root = await server.login('root');
    tmux = new Tmux();
    tmux.start({ port: server.port, env: { WHISKR_CLIENT_BACKOFF: '60000' } });
    await tmux.login('alice', 'correct horse battery', true);

    // The wait (60 s and a little jitter) counts down; /reconnect ends it, nearly a minute early.
    drop(server, 'alice');
    const left = Number(/retry 1 in (\d+)s/.exec(await tmux.waitFor(/retry 1 in \d+s/))![1]);
    expect(left).toBeGreaterThanOrEqual(59);
    await tmux.waitFor(`retry 1 in ${left - 1}s`);
    await tmux.waitFor(`retry 1 in ${left - 2}s`);
    tmux.type('/reconnect');
    tmux.keys('Enter');
    await tmux.waitFor('Reconnected.');
    await tmux.waitFor('[online]');

    await root.ok('/kick alice enough');
    await tmux.waitFor('[closed] kicked');
    tmux.type('/reconnect');
    tmux.keys('Enter');
    await tmux.waitFor('[online]');
    expect(rows(await tmux.waitFor((s) => s.split('Reconnected.').length === 3)).at(-1)).toBe('[#general]');
  }, 40_000);

  it('refreshes presence after a reconnect: who left meanwhile is shown offline everywhere', async () => {
    server = await TestServer.start({ plugins: PLUGINS });
    const carol = await server.user('carol');
    tmux = new Tmux();
    tmux.start({ port: server.port, env: { WHISKR_CLIENT_BACKOFF: '1500' } });
    await tmux.login('alice', 'correct horse battery', true);
    await tmux.waitFor('+ carol');
    tmux.type('/query carol');
    tmux.keys('Enter');
    await tmux.waitFor('carol — direct conversation (online)');

    drop(server, 'alice');
    await tmux.waitFor('[reconnecting]');
    carol.close();
    await tmux.waitFor('Reconnected.');
    await tmux.waitFor('carol — direct conversation (offline)');
    tmux.keys('M-left');
    let screen = await tmux.waitFor('#general');
    expect(screen).not.toContain('+ carol');
    tmux.keys('C-n');
    screen = await tmux.waitFor('New private channel');
    await tmux.waitFor('nobody else is online');
  }, 30_000);

  it.each(databaseKinds())('shows what was missed after what was shown before, below a marker, in order (%s)', async (db) => {
    server = await TestServer.start({ plugins: PLUGINS, db });
    const bob = await server.user('bob');
    tmux = new Tmux();
    tmux.start({ port: server.port, width: 100, height: 90, env: { WHISKR_CLIENT_BACKOFF: '4000' } });
    await tmux.login('alice', 'correct horse battery', true);
    await bob.ok('/msg #general before the drop', 'message');
    await tmux.waitFor('<bob> before the drop');

    drop(server, 'alice');
    await tmux.waitFor('[reconnecting]');
    for (let i = 1; i <= 60; i++) await bob.ok(`/msg #general missed ${String(i).padStart(2, '0')}`, 'message');
    const screen = rows(await tmux.waitFor((s) => s.includes('Reconnected.') && s.includes('missed 60')));
    const at = (text: string) => screen.findIndex((r) => r.includes(text));
    const order = [at('before the drop'), at('Disconnected'), at('— missed while disconnected —'), ...Array.from({ length: 60 }, (_, i) => at(`missed ${String(i + 1).padStart(2, '0')}`))];
    expect(order.every((row) => row > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  }, 40_000);
});
