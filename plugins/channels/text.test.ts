import { afterEach, describe, expect, it } from 'vitest';
import { TestServer, databaseKinds, PASSWORD } from '../../core/testing/index.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

describe.each(databaseKinds())('channels events as text on a server (%s)', (db) => {
  it('are rendered by the plugin: joins, the replay (even without the history plugin), a /quit text, /whoami target', async () => {
    const s = (server = await TestServer.start({ db, plugins: { auth: {}, channels: {} } }));
    const alice = await s.connect();
    alice.send(`/register alice ${PASSWORD}`);
    expect(await alice.line(/^\* You joined/)).toBe('* You joined #general');
    expect(await alice.line(/^\* Members:/)).toBe('* Members: alice');
    expect(await alice.line(/history/i)).toBe('* No history in #general.');
    const bob = await s.connect();
    bob.send(`/register bob ${PASSWORD}`);
    expect(await alice.line(/^\* bob joined/)).toBe('* bob joined #general');
    bob.send('/quit gone fishing');
    expect(await alice.line(/^\* bob left/)).toBe('* bob left #general: gone fishing');
    expect(await alice.line(/^\* bob is online/)).toBe('* bob is online');
    expect(await alice.line(/^\* bob is off/)).toBe('* bob is offline');
    alice.send('/whoami');
    expect(await alice.line(/^\* You are/)).toBe('* You are alice (user); channels: #general; target: #general');
  });
});
