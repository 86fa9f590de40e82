import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds, type TestServer, account, member, nothing, relogin, startChat } from '../../core/testing/index.js';
import { full } from './testing.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

describe.each(databaseKinds())('public channels (%s)', (db) => {
  it('puts users in #general at login: a join reply with the members, then the history; members see them arrive', async () => {
    const s = (server = await startChat(db));
    const alice = await s.user('alice');
    expect(await alice.next('join')).toEqual({ type: 'join', channel: '#general', user: 'alice', topic: '', members: ['alice'] });
    expect(await alice.next('history')).toEqual({ type: 'history', target: '#general', messages: [] });
    const bob = await member(s, 'Bob');
    expect(bob.events.find((e) => e.type === 'join')).toMatchObject({ channel: '#general', members: ['alice', 'Bob'] });
    expect(await alice.next('join')).toEqual({ type: 'join', channel: '#general', user: 'Bob' });
    expect(await alice.ok('/whoami', 'whoami')).toMatchObject({ channels: ['#general'], target: '#general' });
  });

  it('sends a plain line to the current channel: echoed to the sender, delivered to members, replayed on join', async () => {
    const s = (server = await startChat(db));
    const alice = await member(s, 'alice');
    const bob = await member(s, 'bob');
    const echo = await alice.request('hello bob', 'message');
    expect(echo).toMatchObject({ type: 'message', from: 'alice', channel: '#general', text: 'hello bob', kind: 'message' });
    expect(echo.id).toMatch(/^[0-9a-z]{13}$/);
    expect(new Date(echo.ts).toISOString()).toBe(echo.ts);
    expect(await bob.next('message')).toEqual(echo);
    expect(await alice.request('//slash is text', 'message')).toMatchObject({ text: '/slash is text' });
    expect(await alice.request('/me waves', 'message')).toMatchObject({ kind: 'action', text: 'waves', channel: '#general' });
    expect(await alice.request('/msg #general via msg', 'message')).toMatchObject({ text: 'via msg' });
    await s.server.service('history')!.flush();
    const carol = await s.user('carol');
    await carol.next('join');
    const history = await carol.next('history');
    expect(history.messages.map((m: { text: string }) => m.text)).toEqual(['hello bob', '/slash is text', 'waves', 'via msg']);
  });

  it('encodes a channel message once per format however many receive it, with no database query (history writes aside)', async () => {
    const s = (server = await startChat(db));
    const sender = await member(s, 'sender');
    const readers = await Promise.all(['r1', 'r2', 'r3', 'r4', 'r5'].map((n) => member(s, n)));
    const people = await s.connect();
    people.send('/register human correct horse battery');
    await people.line(/No history in #general/);
    // A round trip on each connection: their logins (offline messages included) are over.
    for (const c of [sender, people, ...readers]) await c.sync();
    const renderer = s.server.renderer;
    const calls = { json: 0, text: 0 };
    const json = renderer.json.bind(renderer);
    const text = renderer.text.bind(renderer);
    renderer.json = (e) => { if (e.type === 'message') calls.json++; return json(e); };
    renderer.text = (e) => { if (e.type === 'message') calls.text++; return text(e); };
    let queries = 0;
    // The history plugin's batched writes are its own business: count everything else.
    const count = (q: { sql?: string }) => { if (!/history/i.test(q.sql ?? '')) queries++; };
    s.server.db.on('query', count);
    try {
      await sender.request('to all of you', 'message');
      for (const r of readers) await r.next('message');
      await people.line(/<sender> to all of you/);
    } finally {
      s.server.db.removeListener('query', count);
      renderer.json = json;
      renderer.text = text;
    }
    // One json encoding for the five readers, one text for the human, one for the sender's own echo.
    expect(calls).toEqual({ json: 2, text: 1 });
    expect(queries).toBe(0);
  });

  it('/join creates a channel and makes it current; /part falls back, then NO_TARGET', async () => {
    const s = (server = await startChat(db));
    const alice = await member(s, 'alice');
    const bob = await member(s, 'bob');
    expect(await alice.ok('/join #Dev', 'join', full)).toEqual({ type: 'join', channel: '#Dev', user: 'alice', topic: '', members: ['alice'] });
    expect(await alice.next('history')).toMatchObject({ target: '#Dev', messages: [] });
    expect(await bob.ok('/join dev', 'join', full)).toMatchObject({ channel: '#Dev', members: ['alice', 'bob'] });
    expect(await alice.next((e) => e.type === 'join' && e.user === 'bob')).toEqual({ type: 'join', channel: '#Dev', user: 'bob' });
    expect(await alice.request('in dev', 'message')).toMatchObject({ channel: '#Dev' });
    expect(await bob.next('message')).toMatchObject({ channel: '#Dev', text: 'in dev' });
    const parted = await alice.ok('/part see you', 'part');
    expect(parted).toEqual({ type: 'part', channel: '#Dev', user: 'alice', text: 'see you' });
    expect(await bob.next('part')).toEqual(parted);
    expect(await alice.ok('/whoami', 'whoami')).toMatchObject({ channels: ['#general'], target: '#general' });
    expect(await alice.ok('/part #general', 'part')).toMatchObject({ channel: '#general', text: '' });
    expect(await alice.fails('nowhere to go', 'NO_TARGET')).toMatchObject({ type: 'error' });
    await alice.fails('/me waves', 'NO_TARGET');
    await alice.fails('/part', 'NO_TARGET');
    await alice.fails('/part #general', 'NOT_IN_CHANNEL');
    await alice.fails('/part #nope', 'NO_SUCH_CHANNEL');
    await alice.fails('/msg #general hi', 'NOT_IN_CHANNEL');
    await alice.fails('/switch #Dev', 'NOT_IN_CHANNEL');
  });

  it('checks names and arguments', async () => {
    const s = (server = await startChat(db));
    const alice = await member(s, 'alice');
    await alice.fails('/join', 'BAD_ARGUMENTS');
    await alice.fails('/join #bad!name', 'INVALID_NAME');
    await alice.fails(`/join #${'x'.repeat(50)}`, 'INVALID_NAME');
    await alice.fails('/msg #general', 'BAD_ARGUMENTS');
    await alice.fails('/topic', 'BAD_ARGUMENTS');
    await alice.fails('/switch', 'BAD_ARGUMENTS');
    await alice.fails('/me', 'BAD_ARGUMENTS');
    await alice.fails('/switch nobody', 'NO_SUCH_USER');
    await alice.fails('/topic general hello', 'BAD_ARGUMENTS');
    await alice.fails('/who alice', 'BAD_ARGUMENTS');
    await alice.fails('/msg #nowhere hi', 'NO_SUCH_CHANNEL');
    const anon = await s.json();
    await anon.fails('/join #general', 'NOT_LOGGED_IN');
    await anon.fails('hello', 'NOT_LOGGED_IN');
  });

  it('lets only admins create channels when creation is "admins"', async () => {
    const s = (server = await startChat(db, { channels: { creation: 'admins' } }));
    await account(s, 'root', 'admin');
    const alice = await member(s, 'alice');
    await alice.fails('/join #new', 'NOT_ALLOWED');
    await alice.fails('/channel create #secret', 'NOT_ALLOWED');
    const root = await relogin(s, 'root');
    await root.ok('/join #new', 'join', full);
    expect(await alice.ok('/join #new', 'join', full)).toMatchObject({ members: ['alice', 'root'] });
  });

  it('limits channels per user and in all', async () => {
    const s = (server = await startChat(db, { channels: { maxChannelsPerUser: 2, maxChannels: 3 } }));
    const alice = await member(s, 'alice');
    await alice.ok('/join #one', 'join', full);
    expect((await alice.fails('/join #two', 'NOT_ALLOWED')).text).toMatch(/You are in 2 channels/);
    const bob = await member(s, 'bob');
    // The refused /join left no channel behind.
    expect(await bob.ok('/join #two', 'join', full)).toMatchObject({ members: ['bob'] });
    expect((await bob.fails('/join #three', 'NOT_ALLOWED')).text).toMatch(/You are in 2 channels/);
    const carol = await member(s, 'carol');
    expect((await carol.fails('/join #three', 'NOT_ALLOWED')).text).toMatch(/holds 3 channels/);
    await carol.ok('/join #one', 'join', full);
  });

  it('/channels lists channels with topic and member count; /topic shows, sets and clears', async () => {
    const s = (server = await startChat(db, { channels: { maxTopicLength: 20 } }));
    const alice = await member(s, 'alice');
    const bob = await member(s, 'bob');
    await alice.ok('/join #dev', 'join', full);
    const set = await alice.ok('/topic #dev Ship it', 'topic');
    expect(set).toEqual({ type: 'topic', channel: '#dev', topic: 'Ship it', by: 'alice' });
    expect(await bob.ok('/topic #DEV', 'topic')).toEqual(set);
    await bob.fails('/topic #dev mine now', 'NOT_IN_CHANNEL');
    await alice.fails('/topic #dev this topic is far too long', 'BAD_ARGUMENTS');
    await alice.fails('/topic #nope x', 'NO_SUCH_CHANNEL');
    expect(await bob.ok('/channels', 'channels')).toEqual({
      type: 'channels', channels: [
        { name: '#dev', topic: 'Ship it', members: 1, private: false },
        { name: '#general', topic: '', members: 2, private: false },
      ],
    });
    expect(await bob.ok('/join #dev', 'join', full)).toMatchObject({ topic: 'Ship it' });
    expect(await bob.ok('/topic #dev -', 'topic')).toEqual({ type: 'topic', channel: '#dev', topic: '', by: 'bob' });
    expect(await alice.next('topic')).toMatchObject({ topic: '', by: 'bob' });
  });

  it('creates a channel once when several join it at the same moment', async () => {
    const s = (server = await startChat(db));
    const users = await Promise.all(['ann', 'ben', 'cat', 'dan'].map((n) => member(s, n)));
    const joins = await Promise.all(users.map((u) => u.ok('/join #race', 'join', full)));
    expect(joins.map((j) => j.channel)).toEqual(['#race', '#race', '#race', '#race']);
    const list = await users[0]!.ok('/channels', 'channels');
    expect(list.channels.filter((c: { name: string }) => c.name === '#race')).toEqual([{ name: '#race', topic: '', members: 4, private: false }]);
  });

  it('/switch sets where plain lines go', async () => {
    const s = (server = await startChat(db));
    const alice = await member(s, 'alice');
    await alice.ok('/join #dev', 'join', full);
    expect(await alice.ok('/switch #GENERAL')).toMatchObject({ type: 'ok', command: 'switch', target: '#general' });
    expect(await alice.request('back here', 'message')).toMatchObject({ channel: '#general' });
  });

  it('keeps channels, topics and memberships across a restart', async () => {
    let s = (server = await startChat(db));
    const alice = await member(s, 'alice');
    await alice.ok('/join #dev', 'join', full);
    await alice.ok('/topic #dev Persisted', 'topic');
    await alice.ok('/join #ops', 'join', full);
    await alice.ok('/part #ops', 'part');
    s = server = await s.restart();
    const again = await s.login('alice');
    const joins = [await again.next('join'), await again.next('join')];
    expect(joins.map((j) => j.channel)).toEqual(['#general', '#dev']);
    expect(joins[1]).toMatchObject({ topic: 'Persisted', members: ['alice'] });
    expect(await nothing(again, (e) => e.type === 'join' && e.channel === '#ops')).toBe(true);
    expect(await again.ok('/whoami', 'whoami')).toMatchObject({ channels: ['#general', '#dev'], target: '#general' });
  });

  it('speaks text to netcat users', async () => {
    const s = (server = await startChat(db));
    const bob = await member(s, 'bob');
    const nc = await s.connect();
    nc.send('/register alice correct horse battery');
    await nc.line(/^\* You joined #general/);
    await nc.line(/^\* Members: alice, bob$/);
    nc.send('hi bob');
    await nc.line(/^\[#general\] <alice> hi bob$/);
    await bob.next((e) => e.type === 'message' && e.text === 'hi bob');
    await bob.ok('/me waves', 'message');
    await nc.line(/^\[#general\] \* bob waves$/);
    nc.send('/join #nope!');
    await nc.line(/^! INVALID_NAME: /);
  });
});
