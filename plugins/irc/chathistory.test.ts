import { afterEach, describe, expect, it } from 'vitest';
import { PASSWORD, account, databaseKinds, member, type TestServer } from '../../core/testing/index.js';
import { RawIrc, startIrc } from './testing.js';
import { parseIrc } from './message.js';

/** draft/chathistory and the join playback batch, against history on both databases. */
describe.each(databaseKinds())('CHATHISTORY (%s)', (db) => {
  let server: TestServer | undefined;
  const open: RawIrc[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    await server?.stop();
    server = undefined;
  });

  /** An IRC client with batch, chathistory and message tags, logged in with the server password. */
  async function irc(name: string): Promise<RawIrc> {
    const c = await RawIrc.connect(server!);
    open.push(c);
    c.send('CAP LS 302', 'CAP REQ :batch draft/chathistory message-tags server-time', 'CAP END');
    await c.register(name, `:${name}:${PASSWORD}`);
    return c;
  }

  /** The PRIVMSG texts of the next batch (after its BATCH +ref line), in order, and its type line. */
  async function batch(c: RawIrc): Promise<{ start: string; texts: string[]; ids: string[] }> {
    const start = await c.next(/ BATCH \+/);
    const ref = /BATCH \+(\S+)/.exec(start)![1]!;
    const texts: string[] = [];
    const ids: string[] = [];
    for (;;) {
      const line = await c.next(new RegExp(`batch=${ref}[; ]|BATCH -${ref}`));
      if (line.includes(`BATCH -${ref}`)) return { start, texts, ids };
      texts.push(parseIrc(line)!.params[1]!);
      ids.push(/msgid=([0-9a-z]+)/.exec(line)![1]!);
    }
  }

  it('answers LATEST, BEFORE, AFTER, AROUND, BETWEEN and TARGETS with one batch each; bad requests and private targets with one FAIL', async () => {
    server = await startIrc(db);
    await account(server, 'carol');
    const bob = await member(server, 'bob');
    const ids: string[] = [];
    for (let i = 1; i <= 6; i++) ids.push((await bob.ok(`/msg #general m${i}`, 'message')).id);
    await bob.ok('/channel create #secret', 'join');
    await bob.ok('/msg #secret hidden', 'message');

    const c = await irc('carol');
    // The join playback is a chathistory batch.
    const playback = await batch(c);
    expect(playback.start).toMatch(/BATCH \+\S+ chathistory #general$/);
    expect(playback.texts).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    expect(playback.ids).toEqual(ids);

    c.send('CHATHISTORY LATEST #general * 2');
    expect((await batch(c)).texts).toEqual(['m5', 'm6']);
    c.send(`CHATHISTORY BEFORE #general msgid=${ids[3]} 2`);
    expect((await batch(c)).texts).toEqual(['m2', 'm3']);
    c.send(`CHATHISTORY AFTER #general msgid=${ids[3]} 10`);
    expect((await batch(c)).texts).toEqual(['m5', 'm6']);
    c.send(`CHATHISTORY AROUND #general msgid=${ids[2]} 3`);
    expect((await batch(c)).texts).toEqual(['m2', 'm3', 'm4']);
    c.send(`CHATHISTORY BETWEEN #general msgid=${ids[0]} msgid=${ids[4]} 10`);
    expect((await batch(c)).texts).toEqual(['m2', 'm3', 'm4']);
    // With a limit, the messages nearest the first reference: forwards, or backwards (irctest's BETWEEN).
    c.send(`CHATHISTORY BETWEEN #general msgid=${ids[0]} msgid=${ids[5]} 2`);
    expect((await batch(c)).texts).toEqual(['m2', 'm3']);
    c.send(`CHATHISTORY BETWEEN #general msgid=${ids[5]} msgid=${ids[0]} 2`);
    expect((await batch(c)).texts).toEqual(['m4', 'm5']);
    c.send(`CHATHISTORY LATEST #general msgid=${ids[4]} 10`);
    expect((await batch(c)).texts).toEqual(['m6']);
    c.send('CHATHISTORY BEFORE #general timestamp=2000-01-01T00:00:00.000Z 5');
    expect((await batch(c)).texts).toEqual([]);

    c.send('CHATHISTORY LATEST #secret * 5');
    await c.next(/FAIL CHATHISTORY INVALID_TARGET LATEST #secret /);
    c.send('CHATHISTORY BEFORE #general nonsense 5', 'CHATHISTORY LATEST #general * 0', 'CHATHISTORY FROB #general');
    await c.next(/FAIL CHATHISTORY INVALID_PARAMS BEFORE /);
    await c.next(/FAIL CHATHISTORY INVALID_PARAMS LATEST /);
    await c.next(/FAIL CHATHISTORY INVALID_PARAMS FROB /);
    c.send('CHATHISTORY TARGETS timestamp=2000-01-01T00:00:00.000Z timestamp=2100-01-01T00:00:00.000Z 10');
    expect((await batch(c)).start).toMatch(/draft\/chathistory-targets/);
    // Nothing more came than one answer per request.
    c.send('PING :end');
    await c.next(/PONG whiskr :?end/);
    expect(c.lines.filter((l) => / BATCH \+| FAIL /.test(l))).toHaveLength(15);
  });

  it('a client without batch gets the playback as plain lines, with only the tags it asked for', async () => {
    server = await startIrc(db);
    await account(server, 'dave');
    const bob = await member(server, 'bob');
    await bob.ok('/msg #general before dave came', 'message');
    const c = await RawIrc.connect(server);
    open.push(c);
    c.send('CAP LS 302', 'CAP REQ :server-time', 'CAP END');
    await c.register('dave', `:dave:${PASSWORD}`);
    expect(await c.next(/PRIVMSG #general :before dave came/)).toMatch(/^@time=\S+ :bob!bob@whiskr PRIVMSG/);
    expect(c.lines.some((l) => l.includes('BATCH') || l.includes('batch='))).toBe(false);
  });
});
