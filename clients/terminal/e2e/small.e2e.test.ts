import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestServer, type TestClient } from '../../../core/testing/index.js';
import { hasTmux, Tmux } from './tmux.js';

/** The smaller things a user notices: the login screen's words, feedback in the right place, state kept over a reconnect. */
let server: TestServer;
let tmux: Tmux;
let bob: TestClient;
beforeEach(async () => {
  server = await TestServer.start({ plugins: { auth: {}, channels: {}, history: {}, admin: {} } });
  bob = await server.user('bob');
  tmux = new Tmux();
});
afterEach(async () => { tmux.kill(); await server.stop(); });

/** The text inside the login box, its lines joined (a reason wrapped over lines reads as one). */
const boxText = (screen: string) => screen.split('\n').map((r) => r.replace(/^[^│]*│ ?/, '').replace(/ *│[^│]*$/, '').trim()).filter(Boolean).join(' ');
const drop = (name: string) => { for (const session of server.server.sessionsOf(name)) server.server.closeSession(session, 'test drop'); };

/** On the login screen: fill in a name and password, press Log in or Create account, and wait for the box to say `expected`. */
async function attempt(name: string, password: string, create: boolean, expected: string): Promise<string> {
  tmux.start({ port: server.port, width: 80, height: 24 });
  await tmux.waitFor('Log in to a Whiskr server', 20_000);
  tmux.type(name);
  tmux.keys('Down');
  tmux.type(password);
  tmux.keys(...(create ? ['Down', 'Down', 'Enter'] : ['Enter']));
  return boxText(await tmux.waitFor((s) => boxText(s).includes(expected)));
}

async function chat(env: Record<string, string> = {}): Promise<void> {
  tmux.start({ port: server.port, env });
  await tmux.login('alice', 'correct horse battery', true);
  await tmux.waitFor('+ bob');
}

async function say(line: string, expected: string | ((s: string) => boolean)): Promise<string> {
  tmux.type(line);
  tmux.keys('Enter');
  return tmux.waitFor(expected);
}

describe.skipIf(!hasTmux)('terminal client: the smaller things (tmux)', () => {
  it('a wrong name or password says how to make an account', async () => {
    await attempt('newcomer', 'correct horse battery', false, 'Wrong name or password. No account yet? Choose [ Create account ].');
  });

  it('a taken name is said once', async () => {
    const text = await attempt('bob', 'correct horse battery', true, 'The name bob is taken.');
    expect(text).not.toContain('That name is taken. The name');
  });

  it('the rules for a name are shown whole, wrapped at spaces', async () => {
    await attempt('bad!name', 'correct horse battery', true, 'is not a valid name: use 2 to 32 letters, digits, "_", "-" or ".".');
  });

  it('a ban reason is shown whole, wrapped at spaces', async () => {
    await server.server.service('auth')!.createUser('root', 'correct horse battery', 'admin');
    const root = await server.login('root');
    await root.ok('/ban bob 1h spamming the channel with links to things nobody ever asked for, again and again');
    await attempt('bob', 'correct horse battery', false, 'spamming the channel with links to things nobody ever asked for, again and again');
  });

  it('/topic without a text shows the topic as it is, not as news', async () => {
    await bob.ok('/topic #general release on Friday', 'topic');
    await chat();
    const screen = await say('/topic', 'The topic of #general: release on Friday (set by bob)');
    expect(screen.split('set the topic').length).toBe(1);
  });

  it('errors are sentences, without their codes', async () => {
    await chat();
    const screen = await say('/whois nobody_here', (s) => /!! .*nobody_here/.test(s));
    expect(screen).not.toMatch(/!! [A-Z_]+:/);
  });

  it('/msg to someone else, typed in a channel, is confirmed in the channel', async () => {
    await chat();
    await say('/msg bob just for you', '-> bob: just for you');
    expect((await bob.next((e) => e.type === 'message' && e.from === 'alice')).text).toBe('just for you');
  });

  it('/away and /clear stay as the user left them after a reconnect', async () => {
    await bob.ok('/msg #general an old message', 'message');
    await chat({ WHISKR_CLIENT_BACKOFF: '300' });
    await tmux.waitFor('<bob> an old message');
    await say('/away lunch', '(away)');
    await say('/clear', (s) => !s.includes('an old message'));
    drop('alice');
    await tmux.waitFor('Reconnected.');
    const screen = await tmux.waitFor('(away)');
    expect(screen).not.toContain('an old message');
    expect(await bob.request('/whois alice', 'whois')).toMatchObject({ status: 'away', text: 'lunch' });
  });

  it('a brand-new direct conversation does not offer older messages', async () => {
    await server.user('carol');
    await chat();
    const screen = await say('/query carol', '— start of carol —');
    expect(screen).not.toContain('PageUp for older messages');
  });

  it('the shutdown notice is said once', async () => {
    await chat();
    void server.server.shutdown();
    const screen = await tmux.waitFor('The server is shutting down.');
    expect(screen).not.toContain('shutting down: The server');
  });
});
