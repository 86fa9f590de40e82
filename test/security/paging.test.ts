import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds, type JsonEvent, type TestServer, startChat } from '../../core/testing/index.js';
import { TestServer as Server } from '../../core/testing/index.js';

/**
 * Replies paged by bytes: JSON escapes a control character as six bytes, so a page of
 * messages can be six times its size as sent. A reader that reads gets every reply whole, with `more` when
 * some were left for the next page.
 */
let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

/** 4,000 × U+0001: 4 KB as sent, 24 KB in JSON. */
const HEAVY = '\u0001'.repeat(4000);

describe.each(databaseKinds())('/history of heavily escaped messages (%s)', (db) => {
  it('gives a JSON reader as much as fits with more: true, and paging back gets every message once', async () => {
    const s = (server = await startChat(db));
    const alice = await s.user('alice');
    await alice.ok('/join #c', 'join', (e) => e.channel === '#c' && e.members !== undefined);
    alice.write(Array.from({ length: 200 }, (_, i) => `/msg #c ${i} ${HEAVY}\n`).join(''));
    const sent = await alice.until(() => {
      const mine = alice.events.filter((e) => e.type === 'message' && e.channel === '#c');
      return mine.length === 200 ? mine.map((e) => e.id as string) : undefined;
    }, '200 messages sent', 20_000);
    // History is written behind: wait until the last one is stored.
    for (;;) {
      const last = await alice.ok('/history #c 1', 'history');
      if (last.messages[0]?.id === sent[199]) break;
    }

    const reader = await s.login('alice');
    await reader.next((e) => e.type === 'history' && e.target === '#c'); // the replay of #c at login
    const bytesBefore = reader.lines.join('\n').length;
    const first = await reader.ok('/history #c 200', 'history', (e) => e.target === '#c');
    expect(reader.closed).toBe(false);
    expect(first.more).toBe(true);
    expect(first.messages.length).toBeGreaterThan(0);
    expect(first.messages.length).toBeLessThan(200);
    // The newest ones, and the reply within the output bound (1 MiB by default).
    expect(first.messages.at(-1).id).toBe(sent[199]);
    expect(reader.lines.join('\n').length - bytesBefore).toBeLessThan(1_048_576);

    const got: string[] = first.messages.map((m: JsonEvent) => m.id);
    let page = first;
    while (page.more) {
      page = await reader.ok(`/history #c 200 before=${got[0]}`, 'history', (e) => e.target === '#c');
      got.unshift(...page.messages.map((m: JsonEvent) => m.id));
    }
    expect(got).toEqual(sent);
    expect(reader.closed).toBe(false);
    await reader.ok('/ping fine', 'pong');
  }, 60_000);

  it('cuts the replay at /join to the output bound, with more: true, and the joiner stays', async () => {
    // A small bound: 50 messages of 24 KB in JSON are past four times it, what one turn may hold.
    const s = (server = await Server.start({ db, config: { server: { maxOutputBytes: 65_536 } }, plugins: { auth: {}, history: { flushIntervalMs: 10 }, channels: {} } }));
    const alice = await s.user('alice');
    await alice.ok('/join #c', 'join', (e) => e.channel === '#c' && e.members !== undefined);
    for (let i = 0; i < 50; i++) await alice.ok(`/msg #c ${i} ${HEAVY}`, 'message');
    for (;;) {
      const last = await alice.ok('/history #c 1', 'history', (e) => e.target === '#c');
      if (last.messages[0]?.text.startsWith('49 ')) break;
    }
    const bob = await s.user('bob');
    await bob.ok('/join #c', 'join', (e) => e.channel === '#c' && e.members !== undefined);
    const replay = await bob.next((e) => e.type === 'history' && e.target === '#c');
    expect(replay.more).toBe(true);
    expect(replay.messages.length).toBeGreaterThan(0);
    expect(replay.messages.at(-1).text).toBe(`49 ${HEAVY}`);
    await bob.ok('/ping still', 'pong');
    expect(bob.closed).toBe(false);
  }, 30_000);
});
