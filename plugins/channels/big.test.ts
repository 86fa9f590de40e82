import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds, type JsonEvent, type TestServer, member, nothing, relogin, startChat } from '../../core/testing/index.js';
import { full } from './testing.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

const crowd = (e: JsonEvent) => e.type === 'crowd';
const notice = (user: string) => (e: JsonEvent) => (e.type === 'join' || e.type === 'part') && e.user === user && e.members === undefined;
const presenceOf = (user: string) => (e: JsonEvent) => e.type === 'presence' && e.user === user;

describe.each(databaseKinds())('big channels (%s)', (db) => {
  it('bounds the join reply to joinMembers names, with the count, and pages the rest with /who after=', async () => {
    const s = (server = await startChat(db, { channels: { joinMembers: 3, whoPage: 2 } }));
    for (const name of ['erin', 'Bob', 'dave', 'carol']) await member(s, name);
    const alice = await s.user('alice');
    const join = await alice.next(full);
    expect(join).toMatchObject({ channel: '#general', members: ['alice', 'Bob', 'carol'], count: 5, more: true });

    const page1 = await alice.ok('/who #general', 'who');
    expect(page1.users.map((u: { name: string }) => u.name)).toEqual(['alice', 'Bob']);
    expect(page1).toMatchObject({ count: 5, next: 'Bob' });
    const page2 = await alice.ok(`/who #general after=${page1.next}`, 'who');
    expect(page2.users.map((u: { name: string }) => u.name)).toEqual(['carol', 'dave']);
    const page3 = await alice.ok(`/who #general after=${page2.next}`, 'who');
    expect(page3.users.map((u: { name: string }) => u.name)).toEqual(['erin']);
    expect(page3.count).toBe(5);
    expect(page3.next).toBeUndefined();
    // Everyone online, paged the same way.
    const online = await alice.ok('/who after=carol', 'who');
    expect(online.users.map((u: { name: string }) => u.name)).toEqual(['dave', 'erin']);
    expect(online).toMatchObject({ count: 5 });
    await alice.fails('/who #general #dev', 'BAD_ARGUMENTS');
    await alice.fails('/who bob', 'BAD_ARGUMENTS');
  });

  it('replays to every join what was said until it, however many joins come in a row (one read serves them while nobody speaks)', async () => {
    const s = (server = await startChat(db, { bots: {} }));
    const texts = (e: JsonEvent) => (e.messages as { text: string }[]).map((m) => m.text);
    const alice = await member(s, 'alice');
    await alice.ok('one', 'message');
    const first = await Promise.all(['bob', 'carol', 'dave'].map(async (n) => (await s.user(n)).next('history')));
    for (const h of first) expect(texts(h)).toEqual(['one']);
    await alice.ok('two', 'message');
    const erin = await s.user('erin');
    expect(texts(await erin.next('history'))).toEqual(['one', 'two']);
    await erin.ok('three', 'message');
    expect(texts(await (await s.user('fay')).next('history'))).toEqual(['one', 'two', 'three']);
    // And a bot's answer is news too.
    await alice.ok('!roll 1d1', 'message');
    await alice.next((e) => e.type === 'message' && e.bot === true);
    expect(texts(await (await s.user('gus')).next('history'))).toHaveLength(5);
  });

  it('keeps a small channel\'s join reply whole (no count, no more) and its notices one by one', async () => {
    const s = (server = await startChat(db, { channels: { bigChannel: 10 } }));
    const alice = await member(s, 'alice');
    const bob = await s.user('bob');
    expect(await bob.next(full)).toEqual({ type: 'join', channel: '#general', user: 'bob', topic: '', members: ['alice', 'bob'] });
    expect(await alice.next(notice('bob'))).toEqual({ type: 'join', channel: '#general', user: 'bob' });
    expect(await alice.next(presenceOf('bob'))).toMatchObject({ status: 'online' });
  });

  it('coalesces joins and parts in a big channel into one crowd event per window, and sends no presence through it', async () => {
    const s = (server = await startChat(db, { channels: { bigChannel: 4, noticeWindowSeconds: 1, noticeNames: 2 } }));
    const alice = await member(s, 'alice');
    await member(s, 'bob');
    await member(s, 'carol');
    // Big from the fourth present member on (counting the one arriving).
    const [, erin, fay] = [await member(s, 'dave'), await member(s, 'erin'), await member(s, 'fay')];
    const c = await alice.next(crowd);
    expect(c).toEqual({ type: 'crowd', channel: '#general', joined: 3, left: 0, joinedNames: ['dave', 'erin'], leftNames: [] });
    expect(alice.has(notice('dave')) || alice.has(notice('fay'))).toBe(false);
    expect(alice.has(presenceOf('dave'))).toBe(false);

    // One who leaves and comes back within the window (a reconnect) is no news; one who leaves is.
    fay!.close();
    await relogin(s, 'fay');
    erin!.close();
    const left = await alice.next(crowd);
    expect(left).toMatchObject({ joined: 0, left: 1, leftNames: ['erin'] });
    expect(await nothing(alice, presenceOf('erin'))).toBe(true);
  });

  it('sends nothing for joins and parts in a big channel when told to suppress them; /part still reaches the leaver\'s other sessions', async () => {
    const s = (server = await startChat(db, { channels: { bigChannel: 2, bigChannelNotices: 'suppress', noticeWindowSeconds: 0.1 } }));
    const alice = await member(s, 'alice');
    await member(s, 'bob');
    const carol = await member(s, 'carol');
    const carol2 = await relogin(s, 'carol');
    await carol.ok('/part #general', 'part');
    expect(await carol2.next((e) => e.type === 'part' && e.user === 'carol')).toMatchObject({ channel: '#general' });
    expect(await nothing(alice, (e) => crowd(e) || notice('carol')(e))).toBe(true);
  });
});
