import { afterEach, describe, expect, it } from 'vitest';
import { TestServer, databaseKinds, PASSWORD } from '../../core/testing/index.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

describe.each(databaseKinds())('auth: accounts (%s)', (db) => {
  it('registers (which logs in), shows the name as registered, logs in again in another case', async () => {
    server = await TestServer.start({ db, plugins: { auth: {} } });
    const alice = await server.json();
    expect(await alice.ok(`/register Alice ${PASSWORD}`, 'login')).toEqual({ type: 'login', user: 'Alice', role: 'user' });
    expect(await alice.ok('/whoami', 'whoami')).toEqual({ type: 'whoami', user: 'Alice', role: 'user', channels: [], target: null });
    const again = await server.json();
    expect(await again.ok(`/login aLiCe ${PASSWORD}`, 'login')).toEqual({ type: 'login', user: 'Alice', role: 'user' });
    await again.fails(`/login alice ${PASSWORD}`, 'ALREADY_LOGGED_IN');
    await again.fails(`/register carol ${PASSWORD}`, 'ALREADY_LOGGED_IN');
  });

  it('refuses a name taken in another case, wrong passwords and unknown names', async () => {
    server = await TestServer.start({ db, plugins: { auth: {} } });
    await server.user('bob');
    const c = await server.json();
    const taken = await c.fails('/register BOB another password', 'NAME_TAKEN');
    expect(taken.command).toBe('register');
    await c.fails('/login bob wrong password', 'INVALID_CREDENTIALS');
    const unknown = await c.fails(`/login nobody ${PASSWORD}`, 'INVALID_CREDENTIALS');
    expect(unknown.text).toBe('Wrong name or password.');
    await c.fails('/whoami', 'NOT_LOGGED_IN');
    await c.fails('/login bob', 'BAD_ARGUMENTS');
  });

  it("refuses a running bot's name and the reserved ones, in any case", async () => {
    server = await TestServer.start({ db, plugins: { auth: {}, bots: { enabled: ['dice'] } } });
    const c = await server.json();
    await c.fails(`/register Dice ${PASSWORD}`, 'NAME_TAKEN');
    await c.fails(`/register SERVER ${PASSWORD}`, 'NAME_TAKEN');
    await c.fails(`/register serveur ${PASSWORD}`, 'NAME_TAKEN');
    expect(await c.ok(`/register dicey ${PASSWORD}`, 'login')).toMatchObject({ user: 'dicey' });
  });

  it.each([
    ['one character', 'a'],
    ['33 characters', 'x'.repeat(33)],
    ['a "!"', 'al!ce'],
    ['a letter outside ASCII', 'alïce'],
    ['a channel name', '#general'],
    ['a slash', 'a/b'],
    ['an "@"', 'bob@home'],
    ['a plus', 'a+b'],
  ])('refuses a name with %s (INVALID_NAME)', async (_what, name) => {
    server = await TestServer.start({ db, plugins: { auth: {} } });
    const c = await server.json();
    const e = await c.fails(`/register ${name} ${PASSWORD}`, 'INVALID_NAME');
    expect(e.text).toMatch(/2 to 32 letters, digits/);
  });

  it('accepts names at the edges of the rules, and refuses short passwords', async () => {
    server = await TestServer.start({ db, plugins: { auth: {} } });
    for (const name of ['ab', 'y'.repeat(32), 'a.b-c_D9']) {
      const c = await server.json();
      expect((await c.ok(`/register ${name} ${PASSWORD}`, 'login')).user).toBe(name);
    }
    const c = await server.json();
    const weak = await c.fails('/register shorty 1234567', 'WEAK_PASSWORD');
    expect(weak.text).toMatch(/at least 8/);
    await c.ok('/register shorty 12345678', 'login');
  });

  it('keeps a password with spaces verbatim', async () => {
    server = await TestServer.start({ db, plugins: { auth: {} } });
    await server.user('dave', 'two  spaces here');
    const c = await server.json();
    await c.fails('/login dave two spaces here', 'INVALID_CREDENTIALS');
    await c.ok('/login dave two  spaces here', 'login');
  });

  it('/passwd changes the password: the old one stops working, a wrong old one is refused', async () => {
    server = await TestServer.start({ db, plugins: { auth: {} } });
    const erin = await server.user('erin');
    await erin.fails('/passwd wrong-old new password here', 'INVALID_CREDENTIALS');
    await erin.fails('/passwd correct short', 'INVALID_CREDENTIALS');
    // Either password may contain spaces: the old one is recognised wherever it ends.
    await erin.ok(`/passwd ${PASSWORD} my new pass phrase`);
    const e2 = await server.json();
    await e2.fails(`/login erin ${PASSWORD}`, 'INVALID_CREDENTIALS');
    await e2.ok('/login erin my new pass phrase', 'login');
    await server.user('frank', 'oldsecret');
    const frank = await server.login('frank', 'oldsecret');
    await frank.fails('/passwd oldsecret short', 'WEAK_PASSWORD');
    expect(await frank.ok('/passwd oldsecret brand new secret')).toMatchObject({ type: 'ok', command: 'passwd' });
    const c = await server.json();
    await c.fails('/login frank oldsecret', 'INVALID_CREDENTIALS');
    await c.ok('/login frank brand new secret', 'login');
  });

  it('/logout makes the session anonymous again; it can log in as someone else', async () => {
    server = await TestServer.start({ db, plugins: { auth: {} } });
    await server.user('gina');
    const c = await server.user('hal');
    expect(await c.ok('/logout')).toMatchObject({ type: 'ok', command: 'logout' });
    await c.fails('/whoami', 'NOT_LOGGED_IN');
    await c.fails('/logout', 'NOT_LOGGED_IN');
    expect((await c.ok(`/login gina ${PASSWORD}`, 'login')).user).toBe('gina');
    expect((await c.ok('/whoami', 'whoami')).user).toBe('gina');
  });

  it('stores no plaintext password: the accounts table holds scrypt hashes with their parameters', async () => {
    server = await TestServer.start({ db, plugins: { auth: { scryptN: 16384 } } });
    const secret = 'Sup3r secret phrase';
    await server.user('ivy', secret);
    await server.user('jack', secret);
    const rows = await server.server.db('auth_accounts').select();
    expect(rows).toHaveLength(2);
    const dump = JSON.stringify(rows);
    for (const form of [secret, Buffer.from(secret).toString('hex'), Buffer.from(secret).toString('base64')]) {
      expect(dump).not.toContain(form);
    }
    for (const row of rows) {
      expect(row.pw_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.pw_salt).toMatch(/^[0-9a-f]{32}$/);
      expect([Number(row.pw_n), Number(row.pw_r), Number(row.pw_p)]).toEqual([16384, 8, 1]);
      expect(row.legacy_hash).toBeNull();
    }
    // Same password, different salts, different hashes.
    expect(rows[0].pw_hash).not.toBe(rows[1].pw_hash);
  });

  it('verifies old hashes after the scrypt cost is raised, and re-hashes them at login', async () => {
    server = await TestServer.start({ db, plugins: { auth: { scryptN: 1024 } } });
    await server.user('kim');
    server = await server.restart({ plugins: { auth: { scryptN: 4096 } } });
    const before = await server.server.db('auth_accounts').where('name_key', 'kim').first();
    expect(Number(before.pw_n)).toBe(1024);
    await server.login('kim');
    const after = await server.server.db('auth_accounts').where('name_key', 'kim').first();
    expect(Number(after.pw_n)).toBe(4096);
    await server.login('kim');
  });

  it('text format: login and errors read as lines for people', async () => {
    server = await TestServer.start({ db, plugins: { auth: {} } });
    const c = await server.connect();
    c.send(`/register Lena ${PASSWORD}`);
    await c.line(/^\* Logged in as Lena\.$/);
    c.send('/register x y');
    await c.line(/^! ALREADY_LOGGED_IN: /);
  });
});
