import { afterEach, describe, expect, it } from 'vitest';
import { TestServer, databaseKinds, type JsonEvent, type TestClient, member, startChat, say } from '../../core/testing/index.js';
import { full } from './testing.js';

/**
 * A channel's stored data belongs to one life of the channel: `/channel delete` removes it, and a channel
 * created again under the same name starts empty for everyone.
 */
let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

const fromBot = (bot: string) => (e: JsonEvent) => e.type === 'message' && e.from === bot && e.bot === true;

describe.each(databaseKinds())('a deleted channel (%s)', (db) => {
  it('leaves nothing to whoever creates its name again: history, queued messages, polls, last words', async () => {
    // A long flush interval keeps the second message in the write queue when the channel is deleted.
    const s = (server = await startChat(db, { history: { flushIntervalMs: 60_000 }, bots: { limits: { userCommands: 0, botAnswers: 0 } } }));
    const history = s.server.service('history')!;
    const alice = await member(s, 'alice');
    const mallory = await member(s, 'mallory');
    await alice.ok('/channel create #secret', 'join', full);
    await alice.next('history');
    await alice.ok('/channel invite #secret poll');
    await alice.ok('/channel invite #secret remind');
    await say(alice, '!remind 2h rotate the launch code');
    await alice.next(fromBot('remind'));
    await say(alice, 'the launch code is hunter2');
    await say(alice, '!poll Launch? | now | later');
    await alice.next(fromBot('poll'));
    await history.flush();
    await say(alice, 'and the backup code is swordfish');
    await alice.ok('/channel delete #secret');

    const join = await mallory.ok('/join #secret', 'join', full);
    expect(join).toMatchObject({ channel: '#secret', members: ['mallory'] });
    expect(join.private).toBeUndefined();
    expect((await mallory.next('history')).messages).toEqual([]);
    await history.flush(); // the message queued before the delete is written now: still not theirs
    expect((await mallory.ok('/history #secret', 'history')).messages).toEqual([]);
    expect((await mallory.ok('/search hunter2', 'search')).messages).toEqual([]);
    expect((await mallory.ok('/search swordfish', 'search')).messages).toEqual([]);
    await mallory.ok('/channel invite #secret poll');
    await say(mallory, '!poll');
    expect((await mallory.next(fromBot('poll'))).text).toMatch(/^There is no open poll here/);
    await say(mallory, '!poll results');
    expect((await mallory.next(fromBot('poll'))).text).toMatch(/there has been no poll in this channel yet/);
    // alice's reminder set in the old #secret is not the new one's: it will come as a DM.
    await alice.ok('/join #secret', 'join', full);
    await alice.ok('/channel invite #secret remind');
    await say(alice, '!remind list');
    expect((await alice.next(fromBot('remind'))).text).toBe('alice: you have no reminders waiting from this channel.');
    alice.close();
    await mallory.next((e) => e.type === 'presence' && e.user === 'alice' && e.status === 'offline');
    await mallory.ok('/switch #general');
    await say(mallory, '!seen alice');
    const seen = (await mallory.next(fromBot('seen'))).text as string;
    expect(seen).not.toMatch(/hunter2|swordfish|Launch|rotate/);
    // The old life is gone from the database too (an admin's /channel delete means the data is gone), the
    // message written after the delete once it is written.
    const stored = async (text: string) => Number((await s.server.db('history_messages').where('text', 'like', `%${text}%`).count({ n: '*' }).first())?.n);
    expect(await stored('hunter2')).toBe(0);
    for (const deadline = Date.now() + 5_000; (await stored('swordfish')) !== 0;) {
      if (Date.now() > deadline) throw new Error('the message written after the delete was not purged');
      await new Promise((r) => setTimeout(r, 20)); // the purge runs after the write, on the plugin's timer
    }
  });
});

/** A clock the test moves by hand, starting now. */
function manualClock() {
  let t = Date.now();
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

describe.each(databaseKinds())('channel creation limits (%s)', (db) => {
  it('/channel create does not put the people listed past their channel limit; the creator is told who was skipped', async () => {
    const s = (server = await startChat(db, { channels: { maxChannelsPerUser: 3 } }));
    const mallory = await member(s, 'mallory');
    const victim = await member(s, 'victim');
    const friend = await member(s, 'friend');
    for (const name of ['#f1', '#f2']) {
      await mallory.ok(`/channel create ${name} victim`, 'join', full);
      await mallory.ok(`/part ${name}`, 'part');
    }
    const join = await mallory.ok('/channel create #f3 victim friend', 'join', full);
    expect(join.members).toEqual(['friend', 'mallory']);
    expect((await mallory.next('notice')).text).toBe('victim was not added to #f3: they are in 3 channels, their limit.');
    await victim.sync();
    expect(victim.has((e) => e.channel === '#f3')).toBe(false);
    expect((await victim.ok('/whois victim', 'whois')).channels).toEqual(['#general', '#f1', '#f2']);
  });

  it('limits the channels one user creates per window, and reclaims public channels left empty (not auto-join, not bot seats)', async () => {
    const clock = manualClock();
    const t = (server = await TestServer.start({
      db, clock, plugins: { auth: {}, history: { flushIntervalMs: 10 },
        channels: { maxChannels: 6, createPerUser: 3, createWindowSeconds: 3600, reclaimEmptyAfterSeconds: 600 },
        bots: { channels: ['#bots'], limits: { userCommands: 0, botAnswers: 0 } } },
    }));
    const mallory = await member(t, 'mallory');
    const bob = await member(t, 'bob');
    await bob.ok('/join #bots', 'join', full);
    await bob.ok('/part #bots', 'part');
    await bob.ok('/join #seated', 'join', full);
    await bob.ok('/channel invite #seated dice');
    await bob.ok('/part #seated', 'part');
    // #general, #bots, #seated; mallory creates and leaves three: the server holds 6, its limit.
    for (const name of ['#a', '#b', '#c']) {
      await mallory.ok(`/join ${name}`, 'join', full);
      await mallory.ok(`/part ${name}`, 'part');
    }
    expect((await mallory.fails('/join #d', 'RATE_LIMITED')).text).toMatch(/^You created 3 channels within 1h; try again in 1h\.$/);
    expect((await mallory.fails('/channel create #d', 'RATE_LIMITED')).code).toBe('RATE_LIMITED');
    await bob.fails('/join #e', 'NOT_ALLOWED');
    clock.advance(599_000);
    await bob.fails('/join #e', 'NOT_ALLOWED');
    // Ten minutes empty: #a, #b, #c are reclaimed; #general (auto-join, left empty too), #bots (a bot's
    // seat) and #seated (an invited bot) stay.
    await bob.ok('/part #general', 'part');
    await mallory.ok('/part #general', 'part');
    clock.advance(601_000);
    await bob.ok('/join #e', 'join', full);
    expect((await bob.ok('/channels', 'channels')).channels.map((c: { name: string }) => c.name)).toEqual(['#bots', '#e', '#general', '#seated']);
    await mallory.fails('/join #f', 'RATE_LIMITED');
    clock.advance(3_000_000);
    await mallory.ok('/join #f', 'join', full);
  });

  it('limits the channels one user owns at once, private ones left empty included', async () => {
    const s2 = (server = await startChat(db, { channels: { maxOwnedPerUser: 2 } }));
    const alice = await member(s2, 'alice');
    for (const name of ['#p1', '#p2']) {
      await alice.ok(`/channel create ${name}`, 'join', full);
      await alice.ok(`/part ${name}`, 'part');
    }
    expect((await alice.fails('/channel create #p3', 'NOT_ALLOWED')).text).toBe('You own 2 channels, the limit; /channel delete one first.');
    await alice.fails('/join #public', 'NOT_ALLOWED');
    await alice.ok('/channel delete #p1');
    await alice.ok('/join #public', 'join', full);
  });
});
