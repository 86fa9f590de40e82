import { afterEach, describe, expect, it, vi } from 'vitest';
import { fileURLToPath } from 'node:url';
import { TestServer, databaseKinds, PASSWORD } from '../../core/testing/index.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

const TELL = fileURLToPath(new URL('../../core/testing/fixtures/tell', import.meta.url));
const manualClock = () => { const c = { t: Date.UTC(2026, 0, 1), now: () => c.t }; return c; };

describe.each(databaseKinds())('auth: sessions (%s)', (db) => {
  it('a user logged in from several connections gets their traffic on every one', async () => {
    server = await TestServer.start({ db, plugins: { auth: {}, [TELL]: {} } });
    const a1 = await server.user('alice');
    const a2 = await server.login('ALICE');
    const a3 = await server.login('alice');
    const bob = await server.user('bob');
    await bob.ok('/tell alice hello everywhere');
    for (const c of [a1, a2, a3]) expect(await c.next('notice')).toEqual({ type: 'notice', from: 'bob', text: 'hello everywhere' });
    // One logs out: the others still get it, the anonymous one does not.
    await a2.ok('/logout');
    await bob.ok('/tell alice second');
    for (const c of [a1, a3]) expect((await c.next('notice')).text).toBe('second');
    await a2.sync();
    expect(a2.has('notice')).toBe(false);
  });

  it('with the channels plugin: messages reach every session; presence follows the first and last session', async () => {
    server = await TestServer.start({ db, plugins: { auth: {}, channels: {} } });
    const bob = await server.user('bob');
    const a1 = await server.user('alice');
    expect(await bob.next((e) => e.type === 'presence' && e.user === 'alice')).toMatchObject({ status: 'online' });
    const a2 = await server.login('alice');
    expect(await a2.ok('/whoami', 'whoami')).toEqual({ type: 'whoami', user: 'alice', role: 'user', channels: ['#general'], target: '#general' });
    await bob.ok('/msg alice to all of you', 'message');
    for (const c of [a1, a2]) expect(await c.next('message')).toMatchObject({ from: 'bob', to: 'alice', text: 'to all of you' });
    await a1.ok('/logout');
    await bob.sync();
    expect(bob.has('presence')).toBe(false);
    await a2.ok('/logout');
    expect(await bob.next('presence')).toMatchObject({ user: 'alice', status: 'offline' });
  });

  it('allowMultipleSessions: false refuses a second login until the first ends', async () => {
    server = await TestServer.start({ db, plugins: { auth: { allowMultipleSessions: false } } });
    const first = await server.user('carol');
    const second = await server.json();
    const refused = await second.fails(`/login Carol ${PASSWORD}`, 'ALREADY_LOGGED_IN');
    expect(refused.text).toMatch(/another connection/);
    await first.ok('/logout');
    await second.ok(`/login carol ${PASSWORD}`, 'login');
    // And after a disconnect.
    second.close();
    const third = await server.json();
    await vi.waitFor(() => expect(server!.server.isOnline('carol')).toBe(false));
    await third.ok(`/login carol ${PASSWORD}`, 'login');
  });

  it('keeps lastSeen: set at login, and when the last session logs out or disconnects', async () => {
    const clock = manualClock();
    server = await TestServer.start({ db, clock, plugins: { auth: {} } });
    const auth = server.server.service('auth')!;
    const d1 = await server.user('dana');
    expect((await auth.findUser('DANA'))!.lastSeen).toBe(clock.t);
    const d2 = await server.login('dana');
    clock.t += 60_000;
    await d1.ok('/logout');
    expect((await auth.findUser('dana'))!.lastSeen).toBe(clock.t - 60_000); // another session is still on
    clock.t += 60_000;
    const at = clock.t;
    d2.close();
    await vi.waitFor(async () => expect((await auth.findUser('dana'))!.lastSeen).toBe(at));
    // Written to the database with others' within a second, not only at shutdown.
    const stored = async () => Number((await server!.server.db('auth_accounts').where('name_key', 'dana').first('last_seen')).last_seen);
    await vi.waitFor(async () => expect(await stored()).toBe(at), { timeout: 3000 });
    // At shutdown, online users are marked too (and the restarted server reads it back).
    await server.login('dana');
    clock.t += 5_000;
    server = await server.restart();
    expect((await server.server.service('auth')!.findUser('dana'))!.lastSeen).toBe(clock.t);
  });

  it('a reload of the plugin keeps sessions logged in and their lastSeen bookkeeping', async () => {
    const clock = manualClock();
    server = await TestServer.start({ db, clock, plugins: { auth: {} } });
    const kay = await server.user('kay');
    await server.server.plugins.reload('auth');
    expect((await kay.ok('/whoami', 'whoami')).user).toBe('kay');
    await server.login('kay');
    clock.t += 1000;
    const at = clock.t;
    server = await server.restart();
    expect((await server.server.service('auth')!.findUser('kay'))!.lastSeen).toBe(at);
  });

  it('the service: find, list, set roles (live on open sessions), sessionUser', async () => {
    server = await TestServer.start({ db, plugins: { auth: {} } });
    const auth = server.server.service('auth')!;
    const erin = await server.user('Erin');
    expect(await auth.findUser('nobody')).toBeUndefined();
    const made = await auth.createUser('Zed', 'a long enough password', 'admin');
    expect(made).toMatchObject({ name: 'Zed', role: 'admin', lastSeen: null });
    expect(made).not.toHaveProperty('password');
    await expect(auth.createUser('zed', 'a long enough password')).rejects.toMatchObject({ code: 'NAME_TAKEN' });
    await expect(auth.createUser('z', 'a long enough password')).rejects.toMatchObject({ code: 'INVALID_NAME' });
    await expect(auth.createUser('zoe', 'short')).rejects.toMatchObject({ code: 'WEAK_PASSWORD' });
    expect((await auth.listUsers()).map((u) => u.name)).toEqual(['Erin', 'Zed']);
    await auth.setRole('erin', 'admin');
    expect((await erin.ok('/whoami', 'whoami')).role).toBe('admin');
    const session = [...server.server.sessionsOf('erin')][0]!;
    expect(auth.sessionUser(session)).toMatchObject({ name: 'Erin', role: 'admin' });
    await expect(auth.setRole('ghost', 'admin')).rejects.toMatchObject({ code: 'NO_SUCH_USER' });
    const zed = await server.login('zed', 'a long enough password');
    expect(zed.events.find((e) => e.type === 'login')).toEqual({ type: 'login', user: 'Zed', role: 'admin' });
  });
});

describe.each(databaseKinds())('auth: reconnect tokens (%s)', (db) => {
  it('/login +token hands out a token; /resume logs in with it; only its hash is stored', async () => {
    server = await TestServer.start({ db, plugins: { auth: {} } });
    await server.user('fay');
    const c = await server.json();
    const reply = await c.ok(`/login +token fay ${PASSWORD}`, 'login');
    expect(reply.user).toBe('fay');
    expect(reply.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(reply.tokenExpires) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    const rows = await server.server.db('auth_tokens').select();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(reply.token);

    const r = await server.json();
    expect(await r.ok(`/resume FAY ${reply.token}`, 'login')).toEqual({ type: 'login', user: 'fay', role: 'user' });
    expect((await r.ok('/whoami', 'whoami')).user).toBe('fay');
    // The token is still good for another reconnect.
    const r2 = await server.json();
    await r2.ok(`/resume fay ${reply.token}`, 'login');
    // Wrong name, made-up token.
    const x = await server.user('gus');
    await x.ok('/logout');
    await x.fails(`/resume gus ${reply.token}`, 'INVALID_CREDENTIALS');
    await x.fails('/resume fay not-a-token', 'INVALID_CREDENTIALS');
    await x.fails('/resume fay', 'BAD_ARGUMENTS');
  });

  it('/register +token works too; text format shows the token with the /resume line', async () => {
    server = await TestServer.start({ db, plugins: { auth: {} } });
    const c = await server.connect();
    c.send(`/register +token hana ${PASSWORD}`);
    const line = await c.line(/^\* Reconnect token/);
    const token = /\/resume hana (\S+)$/.exec(line)![1]!;
    const r = await server.json();
    await r.ok(`/resume hana ${token}`, 'login');
  });

  it('/logout revokes the session’s token; /passwd revokes them all', async () => {
    server = await TestServer.start({ db, plugins: { auth: {} } });
    await server.user('ida');
    const a = await server.json();
    const t1 = (await a.ok(`/login +token ida ${PASSWORD}`, 'login')).token;
    const b = await server.json();
    const t2 = (await b.ok(`/login +token ida ${PASSWORD}`, 'login')).token;
    const c = await server.json();
    const t3 = (await c.ok(`/login +token ida ${PASSWORD}`, 'login')).token;
    await a.ok('/logout');
    await a.fails(`/resume ida ${t1}`, 'INVALID_CREDENTIALS');
    // Logging out a session that resumed with a token revokes that token.
    await a.ok(`/resume ida ${t2}`, 'login');
    await a.ok('/logout');
    await a.fails(`/resume ida ${t2}`, 'INVALID_CREDENTIALS');
    await c.ok(`/passwd ${PASSWORD} an entirely new one`);
    await a.fails(`/resume ida ${t3}`, 'INVALID_CREDENTIALS');
    expect(await server.server.db('auth_tokens').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('/quit revokes the session’s token; a dropped connection keeps it for the reconnect', async () => {
    server = await TestServer.start({ db, plugins: { auth: {} } });
    await server.user('kim');
    const dropped = await server.json();
    const kept = (await dropped.ok(`/login +token kim ${PASSWORD}`, 'login')).token;
    const quitting = await server.json();
    const gone = (await quitting.ok(`/login +token kim ${PASSWORD}`, 'login')).token;
    dropped.close();
    await dropped.waitClosed();
    quitting.send('/quit see you');
    await quitting.waitClosed();
    await vi.waitFor(async () => expect(await server!.server.db('auth_tokens').count({ n: '*' })).toEqual([{ n: 1 }]));
    const r = await server.json();
    await r.fails(`/resume kim ${gone}`, 'INVALID_CREDENTIALS');
    await r.ok(`/resume kim ${kept}`, 'login');
  });

  it('tokens expire; /resume +token swaps a token for a fresh one', async () => {
    const clock = manualClock();
    server = await TestServer.start({ db, clock, plugins: { auth: { tokenTtlSeconds: 3600 } } });
    await server.user('jo');
    const a = await server.json();
    const first = await a.ok(`/login +token jo ${PASSWORD}`, 'login');
    expect(first.tokenExpires).toBe(new Date(clock.t + 3_600_000).toISOString());
    clock.t += 3_000_000;
    const b = await server.json();
    const fresh = await b.ok(`/resume +token jo ${first.token}`, 'login');
    expect(fresh.token).not.toBe(first.token);
    expect(fresh.tokenExpires).toBe(new Date(clock.t + 3_600_000).toISOString());
    const c = await server.json();
    await c.fails(`/resume jo ${first.token}`, 'INVALID_CREDENTIALS'); // swapped out
    clock.t += 3_600_001;
    await c.fails(`/resume jo ${fresh.token}`, 'INVALID_CREDENTIALS'); // expired
  });
});
