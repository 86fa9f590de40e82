import { afterEach, describe, expect, it } from 'vitest';
import { TestServer, databaseKinds, type TestClient, PASSWORD } from '../../core/testing/index.js';
import { addressKey } from './limiter.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

const manualClock = () => { const c = { t: Date.UTC(2026, 0, 1), now: () => c.t }; return c; };

describe.each(databaseKinds())('auth: limits and options (%s)', (db) => {
  it('limits failed logins per account, saying how long to wait; a success resets the count', async () => {
    const clock = manualClock();
    server = await TestServer.start({ db, clock, plugins: { auth: { maxFailuresPerAccount: 3, maxFailuresPerAddress: 100, failureWindowSeconds: 60 } } });
    await server.user('alice');
    await server.user('bob');
    const c = await server.json();
    await c.fails('/login alice guess one', 'INVALID_CREDENTIALS');
    await c.ok(`/login alice ${PASSWORD}`, 'login'); // a success clears the account's failures
    await c.ok('/logout');
    for (const guess of ['one', 'two', 'three']) await c.fails(`/login alice guess ${guess}`, 'INVALID_CREDENTIALS');
    clock.t += 10_000;
    const limited = await c.fails(`/login ALICE ${PASSWORD}`, 'RATE_LIMITED'); // even the right password
    expect(limited.text).toBe('Too many failed logins for ALICE; try again in 50 seconds.');
    await c.fails('/passwd x y', 'NOT_LOGGED_IN');
    // Other accounts are not affected.
    await c.ok(`/login bob ${PASSWORD}`, 'login');
    // /passwd counts toward the same limit.
    clock.t += 50_001;
    const a = await server.login('alice');
    for (let i = 0; i < 3; i++) await a.fails('/passwd wrong new password!', 'INVALID_CREDENTIALS');
    await a.fails(`/passwd ${PASSWORD} new password!`, 'RATE_LIMITED');
  });

  it('limits failed logins per client address (loopback included), unknown names too', async () => {
    const clock = manualClock();
    server = await TestServer.start({ db, clock, plugins: { auth: { maxFailuresPerAccount: 100, maxFailuresPerAddress: 4, failureWindowSeconds: 600 } } });
    await server.user('carol');
    const c = await server.json();
    for (const name of ['x1', 'x2', 'x3', 'carol']) await c.fails(`/login ${name} nope nope`, 'INVALID_CREDENTIALS');
    const limited = await c.fails(`/login carol ${PASSWORD}`, 'RATE_LIMITED');
    expect(limited.text).toBe('Too many failed logins from your address; try again in 10 minutes.');
    await c.fails('/resume carol whatever', 'RATE_LIMITED');
    clock.t += 600_001;
    await c.ok(`/login carol ${PASSWORD}`, 'login');
  });

  it('a stranger cannot lock the owner out: failures count per (account, address), one address once toward the account', async () => {
    const clock = manualClock();
    server = await TestServer.start({ db, clock, plugins: { auth: { maxFailuresPerAccount: 3, maxFailingAddressesPerAccount: 2, maxFailuresPerAddress: 100, failureWindowSeconds: 600 } } });
    await server.user('alice');
    await server.user('bob');
    await server.user('carol');
    // mallory, at 127.0.0.2, guesses at three accounts until each refuses her.
    const mallory = await server.json('127.0.0.2');
    for (const name of ['alice', 'bob', 'carol']) {
      for (let i = 0; i < 3; i++) await mallory.fails(`/login ${name} guess ${i}`, 'INVALID_CREDENTIALS');
      await mallory.fails(`/login ${name} ${PASSWORD}`, 'RATE_LIMITED');
    }
    // Their owners, from 127.0.0.1, still log in with the right password.
    for (const name of ['alice', 'bob', 'carol']) {
      const owner = await server.json();
      await owner.ok(`/login ${name} ${PASSWORD}`, 'login');
    }
    // Many guessing addresses at once (a botnet) do lock the account, for everyone.
    const second = await server.json('127.0.0.3');
    await second.fails('/login alice guess x', 'INVALID_CREDENTIALS');
    const owner = await server.json();
    const e = await owner.fails(`/login alice ${PASSWORD}`, 'RATE_LIMITED');
    expect(e.text).toBe('Too many failed logins for alice; try again in 10 minutes.');
  });

  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::1', '::1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::99', '2001:db8:1:2::/64'],
    ['2001:DB8:0001:0002:aaaa::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('counts an address as %s → %s (IPv6 by its /64)', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });

  it('reserves names that could pass for the server or its staff (an operator may still give them)', async () => {
    server = await TestServer.start({ db, plugins: { auth: {} } });
    const c = await server.json();
    for (const name of ['admin', 'Admin', 'ADMIN_1', 'root', 'system', 'sys.op', 'moderator', 'server', 'Serveur', '__proto__', 'constructor']) {
      const e = await c.fails(`/register ${name} ${PASSWORD}`, 'NAME_TAKEN');
      expect(e.text).toMatch(/reserved/);
    }
    await c.ok(`/register administer ${PASSWORD}`, 'login');
    await server.server.service('auth')!.createUser('root', PASSWORD, 'admin');
    const root = await server.login('root');
    await root.ok('/whoami', 'whoami');
    await expect(server.server.service('auth')!.createUser('__proto__', PASSWORD)).rejects.toThrow(/reserved/);
  });

  it('limits registrations per address (loopback only when configured)', async () => {
    const clock = manualClock();
    server = await TestServer.start({ db, clock, plugins: { auth: { maxRegistrationsPerAddressPerHour: 2, limitLoopbackRegistrations: true } } });
    const c = await server.json();
    await c.ok(`/register reg1 ${PASSWORD}`, 'login');
    await c.ok('/logout');
    await c.fails('/register reg1 another one', 'NAME_TAKEN'); // refused registrations do not count
    await c.ok(`/register reg2 ${PASSWORD}`, 'login');
    await c.ok('/logout');
    clock.t += 1_800_000;
    const e = await c.fails(`/register reg3 ${PASSWORD}`, 'RATE_LIMITED');
    expect(e.text).toBe('Too many accounts registered from your address; try again in 30 minutes.');
    await c.ok(`/login reg1 ${PASSWORD}`, 'login');
    clock.t += 1_800_001;
    await c.ok('/logout');
    await c.ok(`/register reg3 ${PASSWORD}`, 'login');
  });

  it('an anonymous connection is closed after the login timeout; a logged-in one stays', async () => {
    server = await TestServer.start({ db, config: { server: { loginTimeoutSeconds: 1 } }, plugins: { auth: {} } });
    const idle = await server.json();
    const user = await server.user('kept');
    const closing = await idle.next((e) => e.type === 'error' && e.code === 'NOT_LOGGED_IN', 3000);
    expect(closing.text).toMatch(/No login within 1 seconds/);
    await idle.waitClosed();
    await user.ok('/whoami', 'whoami');
  });

  it('closed registration: /register is refused; accounts made through the service log in', async () => {
    server = await TestServer.start({ db, plugins: { auth: { registration: 'closed' } } });
    const c = await server.json();
    const e = await c.fails(`/register dora ${PASSWORD}`, 'REGISTRATION_CLOSED');
    expect(e.text).toMatch(/ask an admin/);
    await server.server.service('auth')!.createUser('dora', PASSWORD);
    await c.ok(`/login dora ${PASSWORD}`, 'login');
  });

  it('a bad option value stops the plugin from loading, naming it', async () => {
    server = await TestServer.start({ db, allowErrors: true, plugins: { auth: { registration: 'maybe' } } });
    expect(server.server.plugins.get('auth')).toMatchObject({ status: 'failed', error: expect.stringMatching(/registration must be "open" or "closed"/) });
    await server.stop();
    server = await TestServer.start({ db, allowErrors: true, plugins: { auth: { minPasswordLength: 'long' } } });
    expect(server.server.plugins.get('auth')?.error).toMatch(/minPasswordLength must be a number/);
  });
});

describe('auth: hashing stays off the event loop', () => {
  it('a burst of logins does not delay another session', async () => {
    server = await TestServer.start({ plugins: { auth: { scryptN: 8192 } } });
    await server.server.service('auth')!.createUser('burst', PASSWORD);
    const clients: TestClient[] = [];
    for (let i = 0; i < 16; i++) clients.push(await server.json());
    const other = await server.json();
    const started = performance.now();
    for (const c of clients) c.send(`/login burst ${PASSWORD}`);
    const t0 = performance.now();
    await other.request('/ping during', 'pong');
    const pongAfter = performance.now() - t0;
    await Promise.all(clients.map((c) => c.next('login', 15_000)));
    const burst = performance.now() - started;
    // 16 scrypt hashes take a while on the thread pool; the ping does not wait for them.
    expect(pongAfter).toBeLessThan(burst / 3);
    console.log(`16 logins: ${burst.toFixed(0)} ms; a ping during them: ${pongAfter.toFixed(1)} ms`);
  });
});
