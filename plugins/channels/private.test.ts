import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds, type TestServer, account, member, nothing, relogin, startChat } from '../../core/testing/index.js';
import { full } from './testing.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

describe.each(databaseKinds())('private channels (%s)', (db) => {
  it('/channel create makes a private channel with the listed users in it', async () => {
    const s = (server = await startChat(db));
    const alice = await member(s, 'alice');
    const bob = await member(s, 'bob');
    await account(s, 'dave');
    const created = await alice.ok('/channel create #Secret bob dave', 'join', full);
    expect(created).toEqual({ type: 'join', channel: '#Secret', user: 'alice', topic: '', members: ['alice', 'bob'], private: true });
    expect(await alice.next('history')).toMatchObject({ target: '#Secret' });
    expect(await bob.next((e) => e.type === 'join' && e.channel === '#Secret')).toMatchObject({ user: 'bob', members: ['alice', 'bob'], private: true });
    expect(await alice.request('psst', 'message')).toMatchObject({ channel: '#Secret' });
    expect(await bob.next('message')).toMatchObject({ channel: '#Secret', text: 'psst' });
    // dave was offline: he is in it at his next login.
    const dave = await s.login('dave');
    const joins = [await dave.next('join'), await dave.next('join')];
    expect(joins.map((j) => j.channel)).toEqual(['#general', '#Secret']);
    expect(await alice.ok('/channels', 'channels')).toMatchObject({ channels: [
      { name: '#general', members: 3, private: false }, { name: '#Secret', members: 3, private: true, topic: '' }] });
    await alice.fails('/channel create #secret', 'CHANNEL_EXISTS');
    await alice.fails('/channel create #general', 'CHANNEL_EXISTS');
    await alice.fails('/channel create #other ghost', 'NO_SUCH_USER');
    await alice.fails('/channel create #bad!', 'INVALID_NAME');
    await alice.fails('/channel create', 'BAD_ARGUMENTS');
    await alice.fails('/channel frobnicate #x', 'BAD_ARGUMENTS');
    // A refused create leaves nothing behind: #other is free, and made public by /join.
    expect(await alice.ok('/join #other', 'join', full)).toEqual({ type: 'join', channel: '#other', user: 'alice', topic: '', members: ['alice'] });
  });

  it('hides a private channel from non-members: they can neither list, join, read nor receive it', async () => {
    const s = (server = await startChat(db));
    const alice = await member(s, 'alice');
    const carol = await member(s, 'carol');
    await alice.ok('/channel create #secret', 'join', full);
    await alice.ok('/topic #secret hidden plans', 'topic');
    await alice.request('nobody else sees this', 'message');
    expect((await carol.ok('/channels', 'channels')).channels.map((c: { name: string }) => c.name)).toEqual(['#general']);
    await carol.fails('/join #secret', 'NO_SUCH_CHANNEL');
    await carol.fails('/join #SECRET', 'NO_SUCH_CHANNEL');
    await carol.fails('/topic #secret', 'NO_SUCH_CHANNEL');
    await carol.fails('/topic #secret mine', 'NO_SUCH_CHANNEL');
    await carol.fails('/who #secret', 'NO_SUCH_CHANNEL');
    await carol.fails('/msg #secret hi', 'NO_SUCH_CHANNEL');
    await carol.fails('/switch #secret', 'NO_SUCH_CHANNEL');
    await carol.fails('/part #secret', 'NO_SUCH_CHANNEL');
    await carol.fails('/channel invite #secret carol', 'NO_SUCH_CHANNEL');
    await carol.fails('/channel delete #secret', 'NO_SUCH_CHANNEL');
    const history = await carol.request('/history #secret', 'history');
    expect(history.type).toBe('error');
    expect((await carol.ok('/whois alice', 'whois')).channels).toEqual(['#general']);
    expect(await s.server.service('channels')!.canRead('carol', '#secret')).toBe(false);
    expect(await s.server.service('channels')!.canRead('alice', '#secret')).toBe(true);
    expect(await nothing(carol, (e) => JSON.stringify(e).includes('secret'))).toBe(true);
  });

  it('/channel invite lets a user into a private channel; parting gives the place up', async () => {
    const s = (server = await startChat(db));
    const alice = await member(s, 'alice');
    const bob = await member(s, 'bob');
    const carol = await member(s, 'carol');
    await alice.ok('/channel create #secret', 'join', full);
    await bob.fails('/channel invite #secret bob', 'NO_SUCH_CHANNEL');
    await alice.fails('/channel invite #secret ghost', 'NO_SUCH_USER');
    await alice.fails('/channel invite #secret', 'BAD_ARGUMENTS');
    expect(await alice.ok('/channel invite #secret bob')).toMatchObject({ type: 'ok', command: 'channel' });
    expect(await bob.next('invite')).toEqual({ type: 'invite', channel: '#secret', by: 'alice' });
    expect((await bob.ok('/channels', 'channels')).channels.map((c: { name: string }) => c.name)).toEqual(['#general', '#secret']);
    expect(await bob.ok('/join #secret', 'join', full)).toMatchObject({ members: ['alice', 'bob'], private: true });
    // A member invites too; a public channel's invite is only a nudge.
    await bob.ok('/channel invite #secret carol');
    await carol.next('invite');
    await bob.ok('/channel invite #general carol');
    expect((await bob.ok('/part #secret bye', 'part'))).toMatchObject({ channel: '#secret', text: 'bye' });
    await bob.fails('/join #secret', 'NO_SUCH_CHANNEL');
    // The owner keeps the way back in.
    await alice.ok('/part #secret', 'part');
    expect(await alice.ok('/join #secret', 'join', full)).toMatchObject({ members: ['alice'] });
  });

  it('/channel delete: by the owner or an admin; members are told', async () => {
    const s = (server = await startChat(db));
    await account(s, 'root', 'admin');
    const alice = await member(s, 'alice');
    const bob = await member(s, 'bob');
    await alice.ok('/channel create #secret bob', 'join', full);
    await bob.next((e) => e.type === 'join' && e.channel === '#secret');
    await bob.fails('/channel delete #secret', 'NOT_ALLOWED');
    await bob.fails('/channel delete', 'BAD_ARGUMENTS');
    await bob.ok('/switch #secret');
    expect(await alice.ok('/channel delete #secret')).toMatchObject({ type: 'ok', command: 'channel' });
    expect(await bob.next('part')).toEqual({ type: 'part', channel: '#secret', user: 'bob', text: '#secret was deleted by alice' });
    expect(await bob.ok('/whoami', 'whoami')).toMatchObject({ channels: ['#general'], target: '#general' });
    // An admin deletes anyone's channel, private ones included.
    await bob.ok('/channel create #bobs', 'join', full);
    const root = await relogin(s, 'root');
    await root.fails('/channel delete #nope', 'NO_SUCH_CHANNEL');
    await root.ok('/channel delete #bobs');
    expect(await bob.next((e) => e.type === 'part' && e.channel === '#bobs')).toMatchObject({ text: '#bobs was deleted by root' });
    await alice.ok('/join #pub', 'join', full);
    await bob.ok('/join #pub', 'join', full);
    await bob.fails('/channel delete #pub', 'NOT_ALLOWED');
    await alice.ok('/channel delete #pub');
    expect((await bob.ok('/channels', 'channels')).channels.map((c: { name: string }) => c.name)).toEqual(['#general']);
  });

  it('keeps private channels and who may see them across a restart', async () => {
    let s = (server = await startChat(db));
    const alice = await member(s, 'alice');
    await member(s, 'carol');
    await account(s, 'bob');
    await alice.ok('/channel create #secret bob', 'join', full);
    await alice.ok('/channel create #invited', 'join', full);
    await alice.ok('/channel invite #invited carol');
    s = server = await s.restart();
    const bob = await relogin(s, 'bob', 2);
    expect(bob.events.filter((e) => e.type === 'join').map((e) => [e.channel, e.private])).toEqual([['#general', undefined], ['#secret', true]]);
    const carol = await relogin(s, 'carol');
    expect((await carol.ok('/channels', 'channels')).channels.map((c: { name: string }) => c.name)).toEqual(['#general', '#invited']);
    await carol.fails('/join #secret', 'NO_SUCH_CHANNEL');
    await carol.ok('/join #invited', 'join', full);
  });
});
