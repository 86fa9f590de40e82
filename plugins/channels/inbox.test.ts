import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds, TestClient, type JsonEvent, type TestServer, account, member, PASSWORD, relogin, startChat, eventually } from '../../core/testing/index.js';

/**
 * Direct messages kept for offline users: capped per sender as well as per
 * recipient, handed over page by page within the output bound, and taken out of the store only once written.
 */
let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

/** 4,000 × U+0001: 4 KB as sent, 24 KB in JSON (each one escaped as \u0001). */
const HEAVY = '\u0001'.repeat(4000);

/** Keep `n` heavy DMs for `to` from a few senders (each within its cap), through the service (the path of /msg). */
async function keepHeavy(s: TestServer, to: string, n: number): Promise<string[]> {
  const service = s.server.service('channels')!;
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await service.post(`sender${i % 4}`, to, `${i} ${HEAVY}`)).id);
  return ids;
}

const waiting = (s: TestServer, to: string) => s.server.db('channels_offline').where({ to_key: to }).count({ n: '*' }).then(([r]) => Number(r!.n));
/** Wait (polling the store, with a bound) until no message is kept for `to`: a page is dropped once written. */
async function emptied(s: TestServer, to: string): Promise<void> {
  for (const deadline = Date.now() + 5_000; (await waiting(s, to)) > 0;) {
    if (Date.now() > deadline) throw new Error(`messages still kept for ${to}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const offline = (e: JsonEvent) => e.type === 'message' && e.offline === true;

describe.each(databaseKinds())('kept direct messages (%s)', (db) => {
  it("caps them per sender: a stranger's flood does not keep a friend's message out", async () => {
    const s = (server = await startChat(db));
    await account(s, 'carol');
    const stranger = await member(s, 'stranger');
    const friend = await member(s, 'friend');
    stranger.write(Array.from({ length: 100 }, (_, i) => `/msg carol spam ${i}\n`).join(''));
    await stranger.until(() => (stranger.events.filter((e) => e.type === 'message').length === 100 ? true : undefined), '100 kept', 20_000);
    expect((await stranger.fails('/msg carol one more', 'RATE_LIMITED')).text)
      .toBe('You have 100 messages waiting for carol already; try again when they are back.');
    await friend.ok('/msg carol are you there?', 'message');
    const carol = await relogin(s, 'carol');
    await carol.until(() => (carol.events.filter(offline).length === 101 ? true : undefined), '101 kept messages');
    expect(carol.events.filter(offline).at(-1)).toMatchObject({ from: 'friend', text: 'are you there?' });
  });

  it('hands a JSON reader every kept message whole, however JSON escapes them, in order', async () => {
    const s = (server = await startChat(db));
    await account(s, 'carol');
    const ids = await keepHeavy(s, 'carol', 200);
    const friendId = (await s.server.service('channels')!.post('friend', 'carol', 'the real one')).id;
    const carol = await relogin(s, 'carol');
    await carol.until(() => (carol.events.filter(offline).length === 201 ? true : undefined), '201 kept messages', 20_000);
    expect(carol.events.filter(offline).map((e) => e.id)).toEqual([...ids, friendId]);
    expect(carol.events.filter(offline)[0]!.text).toBe(`0 ${HEAVY}`);
    expect(carol.closed).toBe(false);
    await emptied(s, 'carol');
    await carol.ok('/ping still', 'pong');
  }, 30_000);

  it('keeps what a login cut off mid-way did not take, and hands exactly that over next time', async () => {
    const s = (server = await startChat(db));
    await account(s, 'carol');
    // 7 MB in JSON: more than the kernel buffers of a client that does not read take.
    const ids = await keepHeavy(s, 'carol', 300);
    const first = await TestClient.connect(s.port);
    await first.line(/Whiskr/);
    first.write(`/format json\n/login carol ${PASSWORD}\n`);
    await first.next('login');
    first.socket.pause();
    // Once some pages are written (and dropped from the store), the client drops.
    const session = [...s.server.sessionsOf('carol')][0]!;
    for (const deadline = Date.now() + 10_000; (await waiting(s, 'carol')) === 300;) {
      if (Date.now() > deadline) throw new Error('no page was delivered');
      await new Promise((r) => setTimeout(r, 5));
    }
    first.close();
    await eventually(() => session.closed, 'the session to end');
    // The next login gets the rest once (its delivery waits for the first one's to end), and the store is empty.
    const carol = await relogin(s, 'carol');
    await emptied(s, 'carol');
    await carol.sync();
    const got = carol.events.filter(offline).map((e) => e.id);
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(300);
    // Exactly those not written to the first login, in order, once each.
    expect(got).toEqual(ids.slice(300 - got.length));
  }, 30_000);
});
