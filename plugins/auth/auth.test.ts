import { afterEach, describe, expect, it } from 'vitest';
import { TestServer, databaseKinds } from '../../core/testing/index.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

describe.each(databaseKinds())('auth: register and login (%s)', (db) => {
  it('registers (which logs in), then logs in again from another connection in another case', async () => {
    server = await TestServer.start({ db, plugins: { auth: {} } });
    const alice = await server.json();
    const reply = await alice.ok('/register Alice correct horse battery', 'login');
    expect(reply).toEqual({ type: 'login', user: 'Alice', role: 'user' });
    const who = await alice.ok('/whoami', 'whoami');
    expect(who).toEqual({ type: 'whoami', user: 'Alice', role: 'user', channels: [], target: null });
    const again = await server.json();
    expect(await again.ok('/login alice correct horse battery', 'login')).toMatchObject({ user: 'Alice', role: 'user' });
    await again.fails('/login alice correct horse battery', 'ALREADY_LOGGED_IN');
  });

  it('harness users work', async () => {
    server = await TestServer.start({ db, plugins: { auth: {} } });
    const bob = await server.user('bob');
    await bob.fails('/register bob2 correct horse battery', 'ALREADY_LOGGED_IN');
    const c = await server.json();
    await c.fails('/register BOB another password', 'NAME_TAKEN');
    await c.fails('/login bob wrong password', 'INVALID_CREDENTIALS');
    await c.fails('/login nobody wrong password', 'INVALID_CREDENTIALS');
  });
});
