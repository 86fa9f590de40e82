import { afterEach, describe, expect, it } from 'vitest';
import { TestServer, databaseKinds } from '../../core/testing/index.js';
import { ChatClient } from './client.js';
import type { ChatModel } from './model.js';
import '../../plugins/auth/api.js';

let server: TestServer | undefined;
const clients: ChatClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.stop();
  server = undefined;
});

const PLUGINS = { auth: { scryptN: 1024 }, channels: { replay: 3 }, history: { flushIntervalMs: 5 } };

/** Wait until the model satisfies `ready` (checked on every change), or fail naming `what`. */
function until(model: ChatModel, ready: () => boolean, what: string, timeout = 10_000): Promise<void> {
  if (ready()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`timed out waiting for ${what}`)); }, timeout);
    const off = model.onChange(() => { if (ready()) { clearTimeout(timer); off(); resolve(); } });
  });
}

/** A gate the client's backoff waits on: the test decides when the reconnect may happen. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => { open = r; });
  let waiting = 0;
  return { sleep: async () => { waiting++; await opened; }, open: () => open(), get waiting() { return waiting; } };
}

function newClient(extra: Partial<ConstructorParameters<typeof ChatClient>[0]> = {}): ChatClient {
  const c = new ChatClient({ host: '127.0.0.1', port: server!.port, ...extra });
  clients.push(c);
  return c;
}

const texts = (model: ChatModel, name: string) =>
  model.get(name)?.entries.flatMap((e) => (e.kind === 'message' ? [e.text] : [])) ?? [];

describe('terminal client against a real server', () => {
  it('explains a refused login in words: wrong password, name taken', async () => {
    server = await TestServer.start({ plugins: PLUGINS });
    await server.user('bob');
    const c = newClient();
    expect(await c.login({ name: 'bob', password: 'not the password' })).toBe('Wrong name or password. No account yet? Choose [ Create account ].');
    expect(await c.login({ name: 'BOB', password: 'whatever long enough', create: true })).toBe('The name BOB is taken.');
    expect(c.model.connection.state).toBe('offline');
    const off = new ChatClient({ host: '127.0.0.1', port: 1 });
    expect(await off.login({ name: 'x', password: 'y' })).toMatch(/^Cannot connect: nothing is listening on 127.0.0.1:1/);
  });

  it('creates an account, sends and receives in #general and in a direct conversation', async () => {
    server = await TestServer.start({ plugins: PLUGINS });
    const bob = await server.user('bob');
    const c = newClient();
    expect(await c.login({ name: 'alice', password: 'correct horse battery', create: true })).toBeUndefined();
    const m = c.model;
    await until(m, () => m.current === '#general' && m.membersOf('#general').some((u) => u.name === 'bob'), 'alice in #general with bob');

    await c.input('hello bob {red-fg}');
    const got = await bob.next((e) => e.type === 'message' && e.from === 'alice');
    expect(got).toMatchObject({ channel: '#general', text: 'hello bob {red-fg}' });

    bob.send('/msg #general hi alice');
    bob.send('/msg alice psst');
    await until(m, () => texts(m, 'bob').includes('psst') && texts(m, '#general').includes('hi alice'), 'both messages');
    expect(texts(m, '#general')).toEqual(['hello bob {red-fg}', 'hi alice']);
    expect(m.get('bob')).toMatchObject({ unread: 1, mentions: 1 });

    // A command's reply is readable, in the conversation it was typed in; an error likewise.
    await c.input('/join #bad!name');
    expect(m.get('#general')!.entries.at(-1)).toMatchObject({ kind: 'info', level: 'error' });
    await c.input('/me waves');
    expect(await bob.next((e) => e.type === 'message' && e.from === 'alice')).toMatchObject({ kind: 'action', channel: '#general', text: 'waves' });
  });

  it('a ban closes the client without reconnecting, and the next login says until when', async () => {
    server = await TestServer.start({ plugins: { ...PLUGINS, admin: {} } });
    await server.server.service('auth')!.createUser('root', 'correct horse battery', 'admin');
    const root = await server.login('root');
    const g = gate();
    const c = newClient({ sleep: g.sleep });
    expect(await c.login({ name: 'alice', password: 'correct horse battery', create: true })).toBeUndefined();
    await until(c.model, () => c.model.current === '#general', 'alice in #general');
    await root.ok('/ban alice 1h spamming');
    await until(c.model, () => c.model.connection.state === 'closed', 'the client to stop');
    expect(c.model.get('#general')!.entries.at(-1)).toMatchObject({ kind: 'info', level: 'error', text: expect.stringMatching(/^You were banned by root until .*: spamming$/) });
    expect(g.waiting).toBe(0);
    const again = newClient();
    expect(await again.login({ name: 'alice', password: 'correct horse battery' })).toMatch(/^You are banned until .*spamming/);
  });

  it('goes back to the login screen when the reconnect token was revoked (password changed elsewhere)', async () => {
    server = await TestServer.start({ plugins: PLUGINS });
    const c = newClient({ sleep: async () => {} });
    expect(await c.login({ name: 'alice', password: 'correct horse battery', create: true })).toBeUndefined();
    let fatal: string | undefined;
    c.onFatal = (text) => { fatal = text; };
    const other = await server.login('alice');
    await other.ok('/passwd correct horse battery|a new horse battery'.replace('|', ' '));
    for (const s of server.server.sessionsOf('alice')) server.server.closeSession(s, 'test drop');
    await until(c.model, () => c.model.connection.state === 'closed', 'the client to give up');
    expect(fatal).toMatch(/^Logged out: [A-Z][a-z]/);
    expect(fatal).not.toMatch(/INVALID_CREDENTIALS/);
  });

  it('a resync in many channels stays within the server\'s flood control, and direct conversations catch up once', async () => {
    // Input is paced and the server holds at most 12 queued lines: the client keeps few requests on the wire.
    server = await TestServer.start({ plugins: PLUGINS, config: { flood: { enabled: true, burst: 5, linesPerSecond: 100, maxQueuedLines: 12 } } });
    const bob = await server.user('bob');
    const g = gate();
    const c = newClient({ sleep: g.sleep, pageSize: 2 });
    expect(await c.login({ name: 'alice', password: 'correct horse battery', create: true })).toBeUndefined();
    const m = c.model;
    const channels = Array.from({ length: 12 }, (_, i) => `#c${i}`);
    await Promise.all(channels.map((ch) => c.command(`/join ${ch}`)));
    for (const ch of channels) await bob.ok(`/join ${ch}`, 'join');
    await bob.ok('/msg alice before', 'message');
    await until(m, () => texts(m, 'bob').length === 1 && channels.every((ch) => m.get(ch)?.joined), 'alice in 12 channels with a DM');

    for (const s of server.server.sessionsOf('alice')) server.server.closeSession(s, 'test drop');
    await until(m, () => m.connection.state === 'reconnecting', 'the drop');
    for (const ch of channels) await bob.ok(`/msg ${ch} missed in ${ch}`, 'message');
    for (let i = 1; i <= 5; i++) await bob.ok(`/msg alice dm ${i}`, 'message');
    g.open();

    await until(m, () => m.connection.state === 'online' && channels.every((ch) => texts(m, ch).includes(`missed in ${ch}`)) && texts(m, 'bob').length === 6, 'the catch-up', 15_000);
    expect(texts(m, 'bob')).toEqual(['before', 'dm 1', 'dm 2', 'dm 3', 'dm 4', 'dm 5']);
    const errors = [...m.conversations.values()].flatMap((conv) => conv.entries.filter((e) => e.kind === 'info' && e.level === 'error' && !e.text.startsWith('Disconnected')));
    expect(errors).toEqual([]);
  });
});

// The catch-up and paging rely on the history store's order of ids: checked on both databases.
describe.each(databaseKinds())('terminal client: history catch-up and paging (%s)', (db) => {
    it('reconnects after a drop: logs in again, rejoins, and fetches what it missed with no gap and no duplicate', async () => {
      server = await TestServer.start({ db, plugins: PLUGINS });
      const bob = await server.user('bob');
      const g = gate();
      const c = newClient({ sleep: g.sleep, pageSize: 2 });
      expect(await c.login({ name: 'alice', password: 'correct horse battery', create: true })).toBeUndefined();
      const m = c.model;
      await bob.ok('/join #dev', 'join');
      await c.input('/join #dev');
      await until(m, () => m.get('#dev')?.joined === true && m.current === '#dev', 'alice in #dev');
      await bob.ok('/msg #general before the drop', 'message');
      await until(m, () => texts(m, '#general').includes('before the drop'), 'the first message');

      for (const s of server.server.sessionsOf('alice')) server.server.closeSession(s, 'test drop');
      await until(m, () => m.connection.state === 'reconnecting', 'the client to notice');
      expect(m.get('#general')!.joined).toBe(false);

      // More than the join replay (3) and several pages (2) of what alice misses, in two channels and a DM.
      for (let i = 1; i <= 7; i++) await bob.ok(`/msg #general missed ${i}`, 'message');
      await bob.ok('/msg #dev missed in dev', 'message');
      await bob.ok('/msg alice missed dm', 'message');
      g.open();

      await until(m, () => m.connection.state === 'online' && texts(m, '#general').length === 8 && texts(m, 'bob').length === 1 && texts(m, '#dev').length === 1, 'the catch-up', 15_000);
      expect(texts(m, '#general')).toEqual(['before the drop', ...[1, 2, 3, 4, 5, 6, 7].map((i) => `missed ${i}`)]);
      expect(m.get('#dev')!.joined).toBe(true);
      expect(m.get('#general')!.unread).toBe(8); // the one before the drop and the seven missed
      expect(m.current).toBe('#dev');

      // Live again: one more message arrives once, and sending works.
      await bob.ok('/msg #general after', 'message');
      await until(m, () => texts(m, '#general').at(-1) === 'after', 'a live message');
      expect(texts(m, '#general')).toHaveLength(9);
      await c.input('back');
      expect(await bob.next((e) => e.type === 'message' && e.from === 'alice' && e.text === 'back')).toMatchObject({ channel: '#dev' });
    });

    it('fetches older messages page by page when asked (scrolling to the top)', async () => {
      server = await TestServer.start({ db, plugins: PLUGINS });
      const bob = await server.user('bob');
      for (let i = 1; i <= 9; i++) await bob.ok(`/msg #general old ${i}`, 'message');
      const c = newClient({ pageSize: 4 });
      expect(await c.login({ name: 'alice', password: 'correct horse battery', create: true })).toBeUndefined();
      const m = c.model;
      await until(m, () => texts(m, '#general').length === 3, 'the join replay');
      expect(texts(m, '#general')).toEqual(['old 7', 'old 8', 'old 9']);
      while (m.get('#general')!.moreBefore) await c.fetchOlder('#general');
      expect(texts(m, '#general')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `old ${i}`));
    });
});
