import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds, type TestServer, eventually, member, relogin, startChat, say } from '../../core/testing/index.js';
import { admin, storedRows } from './testing.js';
import { MESSAGES } from './migrations.js';
import { parseHistoryArgs } from './commands/history.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

describe('/history arguments', () => {
  it.each([
    [[], {}],
    [['#dev'], { name: '#dev' }],
    [['bob', '20'], { name: 'bob', count: 20 }],
    [['20', '#dev'], { name: '#dev', count: 20 }],
    [['before=0mww3wf2j0000'], { before: '0mww3wf2j0000' }],
    [['#dev', '5', 'AFTER=0MWW3WF2J0000'], { name: '#dev', count: 5, after: '0mww3wf2j0000' }],
  ])('%j', (args, expected) => {
    expect(parseHistoryArgs(args)).toEqual(expected);
  });
  it.each([
    [['before=xyz']], [['0']], [['#a', '#b']], [['1', '2']], [['before=0mww3wf2j0000', 'after=0mww3wf2j0000']],
  ])('%j is BAD_ARGUMENTS', (args) => {
    expect(() => parseHistoryArgs(args)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENTS' }));
  });
});

describe.each(databaseKinds())('history over the protocol (%s)', (db) => {
  it('stores a channel message once however many receive it, and a direct message once', async () => {
    server = await startChat(db);
    const [alice, ...others] = [await member(server, 'alice'), await member(server, 'bob'), await member(server, 'carol'), await member(server, 'dave'), await member(server, 'erin')];
    const sent = [await say(alice!, 'one'), await say(alice!, 'two'), await say(alice!, 'three')];
    for (const c of others) for (const m of sent) await c.next((e) => e.type === 'message' && e.id === m.id);
    await alice!.ok('/msg bob psst', 'message');
    await others[0]!.next((e) => e.type === 'message' && e.text === 'psst');
    expect((await storedRows(server, '#general')).map((r) => r.text)).toEqual(['one', 'two', 'three']);
    expect((await storedRows(server, '@alice|bob')).map((r) => r.text)).toEqual(['psst']);
    expect(await storedRows(server)).toHaveLength(4);
  });

  it('replays the newest messages on join and at login, including ones not written yet', async () => {
    // A long write window: the replay must come from the queue.
    server = await startChat(db, { history: { flushIntervalMs: 60_000, batchSize: 10_000 } });
    const alice = await member(server, 'alice');
    for (let i = 1; i <= 60; i++) alice.send(`m${i}`);
    await alice.next((e) => e.type === 'message' && e.text === 'm60');
    expect(server.server.service('history')!.queueDepth()).toBe(60);
    const bob = await server.user('bob');
    const replay = await bob.next('history');
    expect(replay.target).toBe('#general');
    expect(replay.messages.map((m: { text: string }) => m.text)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i + 11}`));
    await alice.ok('/join #Dev', 'join');
    await say(alice, 'in dev');
    const joined = await bob.ok('/join #dev', 'history');
    expect(joined.messages.map((m: { text: string; channel: string }) => [m.channel, m.text])).toEqual([['#Dev', 'in dev']]);
  });

  it('pages backwards with before and forwards with after, oldest first', async () => {
    server = await startChat(db, { history: { defaultCount: 20, maxCount: 30 } });
    const alice = await member(server, 'alice');
    const sent = [];
    for (let i = 0; i < 75; i++) sent.push(await say(alice, `line ${i}`));
    const ids = sent.map((m) => m.id as string);
    const last = await alice.ok('/history', 'history');
    expect(last).toMatchObject({ target: '#general', more: true });
    expect(last.messages.map((m: { id: string }) => m.id)).toEqual(ids.slice(55));
    const older = await alice.ok(`/history #GENERAL 500 before=${ids[55]}`, 'history');
    expect(older.messages.map((m: { id: string }) => m.id)).toEqual(ids.slice(25, 55)); // capped at maxCount
    const first = await alice.ok(`/history 30 before=${ids[25]}`, 'history');
    expect(first.messages.map((m: { id: string }) => m.id)).toEqual(ids.slice(0, 25));
    expect(first.more).toBe(false);
    // A client that reconnects asks for everything after the last id it saw: no gap, no repeat.
    const missed = await alice.ok(`/history #general after=${ids[60]}`, 'history');
    expect(missed.messages.map((m: { id: string }) => m.id)).toEqual(ids.slice(61));
    expect(missed.more).toBe(false);
    expect(missed.messages[0]).toEqual({ id: ids[61], from: 'alice', channel: '#general', text: 'line 61', ts: sent[61]!.ts, kind: 'message' });
    await alice.fails('/history before=nope', 'BAD_ARGUMENTS');
    await alice.fails('/history #nowhere', 'NO_SUCH_CHANNEL');
    await alice.fails('/history nobody', 'NO_SUCH_USER');
    await alice.fails('/history #general 0', 'BAD_ARGUMENTS');
  });

  it('lets only members read a private channel, and admins any channel', async () => {
    server = await startChat(db);
    const alice = await member(server, 'alice');
    const bob = await member(server, 'bob');
    const carol = await member(server, 'carol');
    const root = await admin(server, 'root');
    await alice.ok('/channel create #secret bob', 'join');
    await bob.next((e) => e.type === 'history' && e.target === '#secret'); // the replay that comes with being added
    await alice.ok('/msg #secret the plan', 'message');
    const page = await bob.ok('/history #secret', 'history');
    expect(page.messages.map((m: { text: string }) => m.text)).toEqual(['the plan']);
    // To others a private channel does not exist, as with /join.
    const refused = await carol.fails('/history #secret', 'NO_SUCH_CHANNEL');
    expect(refused.text).not.toContain('plan');
    expect((await root.ok('/history #Secret', 'history')).messages.map((m: { text: string }) => m.text)).toEqual(['the plan']);
    expect((await carol.ok('/search plan', 'search')).messages).toEqual([]);
    expect((await bob.ok('/search PLAN', 'search')).messages.map((m: { text: string }) => m.text)).toEqual(['the plan']);
  });

  it('shows a direct conversation only to its two parties', async () => {
    server = await startChat(db);
    const alice = await member(server, 'alice');
    const bob = await member(server, 'bob');
    const carol = await member(server, 'carol');
    await alice.ok('/msg Bob psst', 'message');
    await bob.ok('/msg alice what?', 'message');
    await carol.ok('/msg alice hello alice', 'message');
    const fromBob = await bob.ok('/history ALICE', 'history');
    expect(fromBob.target).toBe('alice');
    expect(fromBob.messages.map((m: { from: string; to: string; text: string }) => `${m.from}>${m.to}: ${m.text}`)).toEqual(['alice>bob: psst', 'bob>alice: what?']);
    // carol asking about alice gets her own conversation with alice, never alice and bob's.
    const fromCarol = await carol.ok('/history alice', 'history');
    expect(fromCarol.messages.map((m: { text: string }) => m.text)).toEqual(['hello alice']);
    await carol.ok('/switch bob');
    expect((await carol.ok('/history', 'history')).messages).toEqual([]);
    expect((await carol.ok('/search psst', 'search')).messages).toEqual([]);
    expect((await alice.ok('/search psst', 'search')).messages.map((m: { text: string }) => m.text)).toEqual(['psst']);
  });

  it('keeps history across a restart, and new ids sort after the stored ones', async () => {
    server = await startChat(db);
    const alice = await member(server, 'alice');
    const before = [await say(alice, 'before 1'), await say(alice, 'before 2')];
    await alice.ok('/msg alice note to self', 'message');
    server = await server.restart();
    const again = await relogin(server, 'alice');
    const page = await again.ok('/history #general', 'history');
    expect(page.messages.map((m: { id: string }) => m.id)).toEqual(before.map((m) => m.id));
    expect((await again.ok('/history alice', 'history')).messages.map((m: { text: string }) => m.text)).toEqual(['note to self']);
    const after = await say(again, 'after');
    expect(after.id > before[1]!.id).toBe(true);
    expect((await server.server.service('history')!.lastFrom('ALICE'))?.text).toBe('after');
  });

  it('renders /history and /search as text', async () => {
    server = await startChat(db);
    const alice = await member(server, 'alice');
    await say(alice, 'hello world');
    alice.send('/format text');
    alice.send('/history');
    await alice.line(/^\* History of #general \(1\):$/);
    await alice.line(/^\[#general \d{4}-\d\d-\d\d \d\d:\d\d\] <alice> hello world$/);
    alice.send('/search WORLD');
    await alice.line(/^\* 1 message match "WORLD":$/);
    alice.send('/search nothing-like-it');
    await alice.line(/^\* No messages match "nothing-like-it"\.$/);
  });

  it('applies the retention on a timer, by the server clock', async () => {
    let now = Date.now();
    const day = 86_400_000;
    server = await startChat(db, { history: { retentionDays: 7, retentionCheckSeconds: 0.05 } }, { clock: { now: () => now } });
    const alice = await member(server, 'alice');
    const texts = async () => (await server!.server.db(MESSAGES).select('text').orderBy('id')).map((r: { text: string }) => r.text);
    await say(alice, 'eight days old');
    now += 2 * day;
    await say(alice, 'six days old');
    await storedRows(server);
    expect(await texts()).toEqual(['eight days old', 'six days old']);
    now += 6 * day;
    await say(alice, 'today');
    await eventually(async () => (await texts()).length === 2 && server!.server.service('history')!.queueDepth() === 0, 'the retention pass');
    expect(await texts()).toEqual(['six days old', 'today']);
  });

  it('writes what is queued when the plugin is unloaded, and keeps storing after it is loaded again', async () => {
    server = await startChat(db, { history: { flushIntervalMs: 60_000, batchSize: 10_000 } });
    const alice = await member(server, 'alice');
    await say(alice, 'one');
    await say(alice, 'two');
    await server.server.plugins.unload('history');
    expect((await server.server.db(MESSAGES).select('text').orderBy('id')).map((r: { text: string }) => r.text)).toEqual(['one', 'two']);
    await say(alice, 'not stored: history is unloaded');
    await server.server.plugins.load('history', { flushIntervalMs: 10 });
    await say(alice, 'three');
    const page = await alice.ok('/history', 'history');
    expect(page.messages.map((m: { text: string }) => m.text)).toEqual(['one', 'two', 'three']);
  });
});
