import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, TestServer, databaseKinds, type JsonEvent, PASSWORD, adminClient, adminServerOptions } from '../../core/testing/index.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

/** Every admin command with arguments that would work for an admin. */
const ADMIN_LINES = [
  '/kick bob', '/ban bob 1m', '/unban bob', '/bans', '/mute bob', '/unmute bob', '/mutes', '/wall hello',
  '/shutdown 5', '/kill', '/plugins', '/plugin reload auth', '/rehash', '/users', '/role bob admin', '/stats', '/audit',
];

describe.each(databaseKinds())('admin: permissions and plain commands (%s)', (db) => {
  it('refuses every admin command to a user (NOT_ALLOWED, logged) and to an anonymous session (NOT_LOGGED_IN)', async () => {
    server = await TestServer.start(adminServerOptions(db));
    const bob = await server.user('bob', PASSWORD);
    const anon = await server.json();
    for (const line of ADMIN_LINES) {
      // Match the reply by hand: /kill is answered as the command it stands for (shutdown).
      bob.send(line);
      const e = await bob.next('error');
      expect(e).toMatchObject({ code: 'NOT_ALLOWED', text: expect.stringMatching(/is for admins/) });
      anon.send(line);
      expect(await anon.next('error')).toMatchObject({ code: 'NOT_LOGGED_IN' });
    }
    // The attempts are in the server log, and nothing happened: bob is still here, no audit row, no shutdown.
    expect(server.sink.records.filter((r) => r.level === 'warn' && /bob .* tried admin command/.test(r.message))).toHaveLength(ADMIN_LINES.length);
    await bob.sync();
    expect(bob.closed).toBe(false);
    const root = await adminClient(server);
    expect((await root.ok('/audit', 'audit')).entries).toEqual([]);
    // /help shows the admin commands to admins only.
    const names = (e: JsonEvent) => e.commands.map((c: { name: string }) => c.name);
    expect(names(await bob.ok('/help', 'help'))).not.toContain('ban');
    expect(names(await root.ok('/help', 'help'))).toEqual(expect.arrayContaining(['ban', 'kick', 'shutdown', 'plugin', 'audit']));
  });

  it('kicks every session of a user with the reason, who can log in again; unknown or offline users are refused', async () => {
    server = await TestServer.start(adminServerOptions(db));
    const root = await adminClient(server);
    const bob1 = await server.user('bob', PASSWORD);
    const bob2 = await server.login('bob', PASSWORD);
    const ok = await root.ok('/kick BOB stop   shouting');
    expect(ok.text).toBe('Kicked bob (2 sessions closed).');
    for (const c of [bob1, bob2]) {
      expect(await c.next('kicked')).toEqual({ type: 'kicked', by: 'root', text: 'stop   shouting' });
      await c.waitClosed();
    }
    expect(server.server.isOnline('bob')).toBe(false);
    await server.login('bob', PASSWORD);
    await root.fails('/kick nobody', 'NO_SUCH_USER');
    await server.user('carol', PASSWORD).then((c) => c.ok('/logout'));
    expect((await root.fails('/kick carol', 'NO_SUCH_USER')).text).toBe('carol is not online.');
    expect((await root.fails('/kick root', 'NOT_ALLOWED')).text).toBe('You cannot kick yourself.');
    await root.fails('/kick', 'BAD_ARGUMENTS');
  });

  it('/wall reaches every session, logged in or not, as a server notice', async () => {
    server = await TestServer.start(adminServerOptions(db));
    const root = await adminClient(server);
    const bob = await server.user('bob', PASSWORD);
    const anon = await server.connect();
    expect((await root.ok('/wall Maintenance at  noon')).text).toBe('Sent to 3 sessions.');
    expect(await bob.next('notice')).toEqual({ type: 'notice', from: 'server', text: 'Maintenance at  noon' });
    // The sender is a session too (its notice came before its ok).
    expect(root.events).toContainEqual({ type: 'notice', from: 'server', text: 'Maintenance at  noon' });
    await anon.line(/^\* \[server\] Maintenance at {2}noon$/);
    await root.fails('/wall', 'BAD_ARGUMENTS');
    await root.fails(`/wall ${'x'.repeat(501)}`, 'BAD_ARGUMENTS');
  });

  it('/users lists accounts with status, sessions, bans and mutes; /role changes a role, also for open sessions', async () => {
    server = await TestServer.start(adminServerOptions(db));
    const root = await adminClient(server);
    const bob = await server.user('bob', PASSWORD);
    await server.user('carol', PASSWORD).then((c) => c.ok('/quit', 'bye'));
    await root.ok('/mute bob 10m');
    const users = await root.ok('/users', 'users');
    expect(users.total).toBe(3);
    expect(users.users.map((u: { name: string }) => u.name)).toEqual(['bob', 'root', 'carol']);
    expect(users.users[0]).toMatchObject({ name: 'bob', role: 'user', status: 'online', sessions: 1, banned: false, muted: true });
    expect(users.users[2]).toMatchObject({ name: 'carol', status: 'offline', sessions: 0 });
    expect(Date.parse(users.users[2].created)).toBeGreaterThan(0);
    expect((await root.ok('/users CAR', 'users')).users.map((u: { name: string }) => u.name)).toEqual(['carol']);

    await bob.fails('/bans', 'NOT_ALLOWED');
    expect((await root.ok('/role bob admin')).text).toBe('bob is now an admin.');
    expect(await bob.next('notice')).toMatchObject({ from: 'server', text: 'root made you an admin.' });
    await bob.ok('/bans', 'bans'); // the open session has the role at once
    expect((await root.ok('/role bob admin')).text).toBe('bob is already an admin.');
    await bob.ok('/role root user');
    await root.fails('/bans', 'NOT_ALLOWED');
    expect((await bob.fails('/role bob user', 'NOT_ALLOWED')).text).toMatch(/last admin/);
    await bob.fails('/role bob king', 'BAD_ARGUMENTS');
    await bob.fails('/role nobody user', 'NO_SUCH_USER');
    // The role is stored: a new login has it.
    const root2 = await server.login('root', PASSWORD);
    await root2.fails('/stats', 'NOT_ALLOWED');
  });

  it('/plugins lists versions and states; /stats counts connections, users, plugins and memory', async () => {
    const clock = ManualClock.at('2026-12-31T23:00:00Z');
    server = await TestServer.start(adminServerOptions(db, {}, { clock }));
    const root = await adminClient(server);
    await server.user('bob', PASSWORD);
    await server.connect();
    const plugins = await root.ok('/plugins', 'plugins');
    expect(plugins.plugins).toEqual([
      { name: 'auth', version: expect.any(String), status: 'loaded', error: null },
      { name: 'admin', version: '0.1.0', status: 'loaded', error: null },
    ]);
    clock.advance(90 * 60_000);
    const stats = await root.ok('/stats', 'stats');
    expect(stats).toMatchObject({
      connections: 3, usersOnline: 2, messagesPerMinute: 0, messagesTotal: 0, historyQueue: null, historyDropped: null,
      plugins: [{ name: 'auth', status: 'loaded' }, { name: 'admin', status: 'loaded' }],
    });
    expect(stats.memory.rssBytes).toBeGreaterThan(1_000_000);
    expect(stats.uptimeSeconds).toBe(5400); // on the server's clock
  });

  it('refuses bad settings at load, naming the key', async () => {
    server = await TestServer.start({ ...adminServerOptions(db, { admin: { sweepSeconds: 0 } }), allowErrors: true });
    expect(server.server.plugins.get('admin')).toMatchObject({ status: 'failed', error: 'admin: plugins.admin.sweepSeconds must be at least 1' });
    await server.stop();
    server = await TestServer.start({ ...adminServerOptions(db, { admin: { shutdownSeconds: 10, maxShutdownSeconds: 5 } }), allowErrors: true });
    expect(server.server.plugins.get('admin')?.error).toMatch(/shutdownSeconds \(10\) is more than maxShutdownSeconds \(5\)/);
  });

  it('writes an audit row (who, from where, what, target, reason, when) for each action, readable with /audit', async () => {
    const before = Date.now();
    server = await TestServer.start(adminServerOptions(db));
    const root = await adminClient(server);
    await server.user('bob', PASSWORD);
    await server.user('carol', PASSWORD);
    await root.ok('/kick bob calm down');
    await root.ok('/ban carol 2h spam links');
    await root.ok('/mute bob');
    await root.ok('/unmute bob');
    await root.ok('/unban carol');
    await root.ok('/wall hi all');
    await root.ok('/role bob admin');
    await root.fails('/plugin load nosuchplugin', 'PLUGIN_FAILED');
    await root.ok('/bans', 'bans'); // reading is not an action
    const { entries } = await root.ok('/audit', 'audit');
    expect(entries.map((e: { action: string; target: string | null; text: string }) => [e.action, e.target, e.text])).toEqual([
      ['kick', 'bob', 'calm down'], ['ban', 'carol', 'spam links'], ['mute', 'bob', ''], ['unmute', 'bob', ''],
      ['unban', 'carol', ''], ['wall', null, 'hi all'], ['role', 'bob', ''], ['plugin', 'nosuchplugin', ''],
    ]);
    for (const e of entries) {
      expect(e).toMatchObject({ by: 'root', address: '127.0.0.1' });
      expect(Date.parse(e.at)).toBeGreaterThanOrEqual(before - 1000);
    }
    expect(entries[1].detail).toMatch(/^2h, until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    expect(entries[6].detail).toBe('user -> admin');
    expect(entries[7].detail).toMatch(/^load: failed: /);
    expect((await root.ok('/audit 2', 'audit')).entries.map((e: { action: string }) => e.action)).toEqual(['role', 'plugin']);
    expect((await root.ok('/audit carol', 'audit')).entries.map((e: { action: string }) => e.action)).toEqual(['ban', 'unban']);
    expect((await root.ok('/audit 1 bob', 'audit')).entries.map((e: { action: string }) => e.action)).toEqual(['role']);
    await root.fails('/audit 0', 'BAD_ARGUMENTS');
    await root.fails('/audit 501', 'BAD_ARGUMENTS');
    // The trail is in the database: it survives a restart.
    server = await server.restart();
    const again = await adminClient(server);
    expect((await again.ok('/audit 100', 'audit')).entries).toHaveLength(8);
  });
});
