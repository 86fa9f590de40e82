import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds, type JsonEvent, type TestClient, type TestServer } from '../../core/testing/index.js';
import { full, member, startChat } from './testing.js';

/**
 * A channel's stored data belongs to one life of the channel: `/channel delete` removes it, and a channel
 * created again under the same name starts empty for everyone.
 */
let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

const fromBot = (bot: string) => (e: JsonEvent) => e.type === 'message' && e.from === bot && e.bot === true;
async function say(c: TestClient, text: string): Promise<void> { await c.ok(text, 'message', (e) => e.text === text); }

describe.each(databaseKinds())('a deleted channel (%s)', (db) => {
  it('leaves nothing to whoever creates its name again: history, queued messages, polls, last words', async () => {
    // A long flush interval keeps the second message in the write queue when the channel is deleted.
    const s = (server = await startChat(db, {}, { history: { flushIntervalMs: 60_000 }, bots: { limits: { userCommands: 0, botAnswers: 0 } } }));
    const history = s.server.service('history')!;
    const alice = await member(s, 'alice');
    const mallory = await member(s, 'mallory');
    await alice.ok('/channel create #secret', 'join', full);
    await alice.next('history');
    await alice.ok('/channel invite #secret poll');
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
    alice.close();
    await mallory.next((e) => e.type === 'presence' && e.user === 'alice' && e.status === 'offline');
    await mallory.ok('/switch #general');
    await say(mallory, '!seen alice');
    const seen = (await mallory.next(fromBot('seen'))).text as string;
    expect(seen).not.toMatch(/secret|hunter2|swordfish|Launch/);
    // The old life is gone from the database too (an admin's /channel delete means the data is gone).
    expect(await s.server.db('history_messages').where('text', 'like', '%hunter2%').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });
});
