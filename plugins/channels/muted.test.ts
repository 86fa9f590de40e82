import { afterEach, describe, expect, it } from 'vitest';
import { TestServer, databaseKinds, nothing, PASSWORD, adminClient, adminServerOptions } from '../../core/testing/index.js';
import { full } from './testing.js';

/** A mute covers every text a user makes others see, not only messages. */
let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

describe.each(databaseKinds())('a muted user (%s)', (db) => {
  it('cannot make others see a text: away, topic, part or quit text, channel names, invites', async () => {
    server = await TestServer.start(adminServerOptions(db, { channels: {}, history: { flushIntervalMs: 10 } }));
    const root = await adminClient(server);
    const bob = await server.user('bob', PASSWORD);
    const carol = await server.user('carol', PASSWORD);
    await server.server.service('auth')!.createUser('dave', PASSWORD, 'user');
    for (const c of [bob, carol]) await c.ok('/join #dev', 'join', full);
    await root.ok('/mute bob 10m spam');
    await bob.next('notice');

    await bob.fails('/away spam in my status', 'MUTED');
    await bob.fails('/topic #dev spam in the topic', 'MUTED');
    expect(await bob.ok('/topic #dev', 'topic')).toMatchObject({ channel: '#dev', topic: '' });
    await bob.fails('/part #dev spam on the way out', 'MUTED');
    await bob.fails('/channel create #spam-for-carol carol', 'MUTED');
    await bob.fails('/channel invite #dev dave', 'MUTED');
    await bob.fails('/join #spam-channel-name', 'MUTED');
    await bob.fails('/me spams', 'MUTED');
    await bob.fails('!roll spam', 'MUTED');
    // Leaving works, without the text; /quit's text is not passed on either.
    await bob.ok('/part #dev', 'part');
    await bob.ok('/join #dev', 'join', full);
    bob.send('/quit spam to every channel');
    const part = await carol.next((e) => e.type === 'part' && e.user === 'bob' && e.channel === '#dev' && e.text !== '');
    expect(part.text).not.toMatch(/spam/);
    expect(await nothing(carol, (e) => JSON.stringify(e).includes('spam'))).toBe(true);
    expect(carol.events.some((e) => JSON.stringify(e).includes('spam'))).toBe(false);
    expect((await carol.ok('/channels', 'channels')).channels.map((c: { name: string }) => c.name)).toEqual(['#dev', '#general']);
  });
});
