import { afterEach, describe, expect, it } from 'vitest';
import { TestServer, databaseKinds, type TestClient, PASSWORD, adminClient, adminServerOptions } from '../../core/testing/index.js';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { definePlugin } from '../../core/index.js';
import './api.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

/** A clock the test moves by hand, starting now. */
function manualClock() {
  let t = Date.now();
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

/** Log in, expecting refusal: the BANNED error's text. */
async function bannedText(server: TestServer, name: string): Promise<string> {
  const c = await server.json();
  return (await c.fails(`/login ${name} ${PASSWORD}`, 'BANNED')).text;
}

/** Retry /login until it is accepted, up to `bound` ms (the ban ends on the server's own time). */
async function loginOnceAllowed(server: TestServer, name: string, bound = 5000): Promise<TestClient> {
  const c = await server.json();
  const deadline = Date.now() + bound;
  for (;;) {
    const reply = await c.request(`/login ${name} ${PASSWORD}`, 'login');
    if (reply.type === 'login') return c;
    expect(reply.code).toBe('BANNED');
    if (Date.now() > deadline) throw new Error(`${name} was still banned after ${bound} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(databaseKinds())('admin: bans (%s)', (db) => {
  it('a ban closes every open session with `banned`, refuses /login with until when and why, until /unban', async () => {
    server = await TestServer.start(adminServerOptions(db));
    const root = await adminClient(server);
    const bob1 = await server.user('bob', PASSWORD);
    const bob2 = await server.login('bob', PASSWORD);
    const ok = await root.ok('/ban Bob 2h spamming   links');
    expect(ok.text).toMatch(/^Banned bob until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(2 sessions closed\)\.$/);
    for (const c of [bob1, bob2]) {
      const e = await c.next('banned');
      expect(e).toMatchObject({ by: 'root', text: 'spamming   links' });
      expect(Date.parse(e.until) - Date.now()).toBeGreaterThan(7_100_000);
      await c.waitClosed();
    }
    expect(await bannedText(server, 'bob')).toMatch(/^You are banned until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(by root\): spamming {3}links$/);
    const { bans } = await root.ok('/bans', 'bans');
    expect(bans).toEqual([{ user: 'bob', by: 'root', text: 'spamming   links', until: expect.any(String), created: expect.any(String) }]);
    expect(Date.parse(bans[0].until) - Date.parse(bans[0].created)).toBe(7_200_000);
    expect(await server.server.service('admin')!.activeBan('BOB')).toMatchObject({ user: 'bob', by: 'root' });

    expect((await root.ok('/unban bob')).text).toBe('bob is no longer banned.');
    expect((await root.ok('/unban bob')).text).toBe('bob was not banned.');
    expect((await root.ok('/bans', 'bans')).bans).toEqual([]);
    await server.login('bob', PASSWORD);
  });

  it('a ban without a duration is permanent; a new ban replaces the old one; bad input is refused', async () => {
    server = await TestServer.start(adminServerOptions(db));
    const root = await adminClient(server);
    await server.user('carol', PASSWORD).then((c) => c.ok('/quit', 'bye'));
    expect((await root.ok('/ban carol')).text).toBe('Banned carol permanently.');
    expect(await bannedText(server, 'carol')).toBe('You are banned permanently (by root).');
    await root.ok('/ban carol 10m second thoughts');
    expect(await bannedText(server, 'carol')).toMatch(/^You are banned until .* UTC \(by root\): second thoughts$/);
    expect((await root.ok('/bans', 'bans')).bans).toHaveLength(1);

    await root.fails('/ban nobody', 'NO_SUCH_USER');
    await root.fails('/unban nobody', 'NO_SUCH_USER');
    expect((await root.fails('/ban root', 'NOT_ALLOWED')).text).toBe('You cannot ban yourself.');
    for (const bad of ['10', '5x', '0s', '3rd warning']) {
      expect((await root.fails(`/ban carol ${bad}`, 'BAD_ARGUMENTS')).text).toMatch(/is not a duration: write it like 30s, 10m, 2h or 7d/);
    }
    expect((await root.fails('/ban carol 999999999w', 'BAD_ARGUMENTS')).text).toMatch(/more than 10 years/);
    await root.fails('/ban', 'BAD_ARGUMENTS');
    await root.fails(`/ban carol 1h ${'x'.repeat(501)}`, 'BAD_ARGUMENTS');
  });

  it('a ban ends on time (1s, on the real clock): /login is refused, then accepted', async () => {
    server = await TestServer.start(adminServerOptions(db));
    const root = await adminClient(server);
    await server.user('dave', PASSWORD).then((c) => c.ok('/quit', 'bye'));
    await root.ok('/ban dave 1s cool off');
    expect(await bannedText(server, 'dave')).toMatch(/cool off$/);
    await loginOnceAllowed(server, 'dave');
    expect((await root.ok('/bans', 'bans')).bans).toEqual([]);
  });

  it('bans and mutes survive a restart; those that ended meanwhile do not', async () => {
    const clock = manualClock();
    server = await TestServer.start(adminServerOptions(db, { channels: {} }, { clock }));
    const root = await adminClient(server);
    for (const n of ['erin', 'frank', 'gina', 'hugo']) await server.user(n, PASSWORD).then((c) => c.ok('/quit', 'bye'));
    await root.ok('/ban erin 7d');
    await root.ok('/ban frank 30s');
    await root.ok('/mute gina');
    await root.ok('/mute hugo 1m');
    clock.advance(45_000);
    server = await server.restart();
    expect(await bannedText(server, 'erin')).toMatch(/^You are banned until /);
    await server.login('frank', PASSWORD);
    const gina = await server.login('gina', PASSWORD);
    // A muted user is told at login, and refused when speaking.
    expect(await gina.next('notice')).toMatchObject({ from: 'server', text: 'You are muted until an admin unmutes you (by root).' });
    expect((await gina.fails('hello?', 'MUTED')).text).toBe('You are muted until an admin unmutes you (by root).');
    const hugo = await server.login('hugo', PASSWORD);
    await hugo.fails('hi', 'MUTED');
    clock.advance(20_000);
    await hugo.ok('hi again', 'message');
    const root2 = await adminClient(server);
    expect((await root2.ok('/mutes', 'mutes')).mutes.map((m: { user: string }) => m.user)).toEqual(['gina']);
    expect((await root2.ok('/bans', 'bans')).bans.map((b: { user: string }) => b.user)).toEqual(['erin']);
  });

  it('a ban set while a login is being checked still closes that login', async () => {
    // A login check after admin's that waits for the test: the ban lands after admin's check passed.
    let release!: () => void;
    let arrived!: () => void;
    const gateReached = new Promise<void>((r) => { arrived = r; });
    const gate = definePlugin({
      name: 'gate', version: '1', defaults: {},
      setup(ctx) {
        ctx.hook('login.check', (user) => (user.name === 'bob' ? (arrived(), new Promise<void>((r) => { release = r; })) : undefined));
      },
    });
    const real = (location: string) => import(pathToFileURL(join(location, 'index.ts')).href);
    server = await TestServer.start({
      ...adminServerOptions(db, { gate: {} }),
      importer: async (location) => (location.endsWith('/gate') ? { default: gate } : real(location)),
    });
    const root = await adminClient(server);
    await server.server.service('auth')!.createUser('bob', PASSWORD);
    const bob = await server.json();
    bob.send(`/login bob ${PASSWORD}`);
    await gateReached;
    await root.ok('/ban bob 1h late');
    release();
    expect(await bob.next('login')).toMatchObject({ user: 'bob' });
    expect(await bob.next('banned')).toMatchObject({ by: 'root', text: 'late' });
    await bob.waitClosed();
    expect(server.server.isOnline('bob')).toBe(false);
  });

  it('importBan stores a ban once (idempotent) without disconnecting anyone', async () => {
    server = await TestServer.start(adminServerOptions(db));
    await server.user('ivan', PASSWORD);
    const ivan = await server.login('ivan', PASSWORD);
    const admin = server.server.service('admin')!;
    const ban = { user: 'ivan', by: 'legacy', text: 'old ban', until: Date.now() + 3_600_000, created: Date.now() - 1000 };
    expect(await admin.importBan(ban)).toBe(true);
    expect(await admin.importBan(ban)).toBe(false);
    expect(await admin.importBan({ ...ban, created: ban.created - 5000 })).toBe(false); // older than what is stored
    await ivan.sync();
    expect(ivan.closed).toBe(false);
    expect(await bannedText(server, 'ivan')).toBe(`You are banned until ${new Date(ban.until).toISOString().slice(0, 19).replace('T', ' ')} UTC (by legacy): old ban`);
  });
});

describe.each(databaseKinds())('admin: mutes (%s)', (db) => {
  it('a muted user is refused with MUTED in channels and direct messages and told so; others see nothing; /unmute lifts it', async () => {
    server = await TestServer.start(adminServerOptions(db, { channels: {} }));
    const root = await adminClient(server);
    const bob = await server.user('bob', PASSWORD);
    const carol = await server.user('carol', PASSWORD);
    await carol.next('history'); // carol's auto-join is done
    await bob.ok('before the mute', 'message');
    await carol.next((e) => e.type === 'message' && e.text === 'before the mute');
    expect((await root.ok('/mute bob 10m flooding')).text).toMatch(/^Muted bob until .* UTC\.$/);
    expect(await bob.next('notice')).toMatchObject({ from: 'server', text: expect.stringMatching(/^You were muted by root until .* UTC: flooding$/) });
    expect((await bob.fails('still talking', 'MUTED')).text).toMatch(/^You are muted until .* UTC \(by root\): flooding$/);
    await bob.fails('/me waves', 'MUTED');
    await bob.fails('/msg carol psst', 'MUTED');
    expect(server.server.service('admin')!.isMuted('BOB')).toBe(true);
    expect((await root.ok('/mutes', 'mutes')).mutes).toEqual([{ user: 'bob', by: 'root', text: 'flooding', until: expect.any(String), created: expect.any(String) }]);

    expect((await root.ok('/unmute bob')).text).toBe('bob may speak again.');
    expect(await bob.next('notice')).toMatchObject({ text: 'You may speak again (unmuted by root).' });
    await bob.ok('after the mute', 'message');
    await carol.sync();
    expect(carol.events.filter((e) => e.type === 'message').map((e) => e.text)).toEqual(['before the mute', 'after the mute']);
    expect((await root.ok('/unmute bob')).text).toBe('bob was not muted.');
    await root.fails('/mute nobody', 'NO_SUCH_USER');
    await root.fails('/unmute nobody', 'NO_SUCH_USER');
    await root.fails('/mute root', 'NOT_ALLOWED');
    await root.fails('/mute bob 5y', 'BAD_ARGUMENTS');
  });

  it('a mute ends on time (server clock)', async () => {
    const clock = manualClock();
    server = await TestServer.start(adminServerOptions(db, { channels: {} }, { clock }));
    const root = await adminClient(server);
    const bob = await server.user('bob', PASSWORD);
    await root.ok('/mute bob 30s');
    await bob.fails('quiet', 'MUTED');
    clock.advance(29_000);
    await bob.fails('quiet', 'MUTED');
    clock.advance(1_000);
    await bob.ok('free again', 'message');
    expect((await root.ok('/mutes', 'mutes')).mutes).toEqual([]);
  });

  it('/unmute of a mute that has ended says it was not muted, as /unban does for an ended ban, and tells the user nothing', async () => {
    const clock = manualClock();
    server = await TestServer.start(adminServerOptions(db, { channels: {} }, { clock }));
    const root = await adminClient(server);
    const bob = await server.user('bob', PASSWORD);
    await server.user('carol', PASSWORD);
    await root.ok('/mute bob 30s');
    await root.ok('/ban carol 30s');
    clock.advance(30_000);
    expect((await root.ok('/unmute bob')).text).toBe('bob was not muted.');
    expect((await root.ok('/unban carol')).text).toBe('carol was not banned.');
    await bob.sync();
    expect(bob.events.filter((e) => e.type === 'notice').map((e) => e.text)).toEqual([expect.stringMatching(/^You were muted by root until .* UTC\.$/)]);
  });

  it('a mute without a duration lasts until /unmute, and says so', async () => {
    server = await TestServer.start(adminServerOptions(db, { channels: {} }));
    const root = await adminClient(server);
    const bob = await server.user('bob', PASSWORD);
    expect((await root.ok('/mute bob')).text).toBe('Muted bob until unmuted.');
    expect(await bob.next('notice')).toMatchObject({ text: 'You were muted by root until unmuted.' });
    expect((await bob.fails('hello', 'MUTED')).text).toBe('You are muted until an admin unmutes you (by root).');
    expect((await root.ok('/audit 1', 'audit')).entries[0]).toMatchObject({ action: 'mute', target: 'bob', detail: 'until unmuted' });
  });
});
