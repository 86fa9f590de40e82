import { afterEach, describe, expect, it } from 'vitest';
import { PASSWORD, account, databaseKinds, member, type TestServer } from '../../core/testing/index.js';
import { Framework, RawIrc, startIrc } from './testing.js';

describe.each(databaseKinds())('IRC listener (%s)', (db) => {
  let server: TestServer | undefined;
  const open: { close(): void }[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    await server?.stop();
    server = undefined;
  });

  async function framework(options: Record<string, unknown>): Promise<Framework> {
    const f = new Framework().connect(server!, options);
    open.push(f);
    await f.wait('registered');
    return f;
  }
  async function raw(): Promise<RawIrc> {
    const r = await RawIrc.connect(server!);
    open.push(r);
    return r;
  }

  it('logs in with SASL PLAIN (irc-framework), is auto-joined, and chats with a line-protocol user both ways with the same ids', async () => {
    server = await startIrc(db);
    await account(server, 'alice');
    const bob = await member(server, 'bob');
    const alice = await framework({ nick: 'alice', account: { account: 'alice', password: PASSWORD }, enable_echomessage: true });
    expect(alice.client.network.cap.enabled).toEqual(expect.arrayContaining(['sasl', 'server-time', 'message-tags']));
    expect(alice.client.user.nick).toBe('alice');
    await alice.wait('join', (e) => e.channel === '#general' && e.nick === 'alice');
    await bob.next((e) => e.type === 'join' && e.user === 'alice');

    alice.client.say('#general', 'hello from irc');
    const got = await bob.next((e) => e.type === 'message' && e.text === 'hello from irc');
    expect(got.from).toBe('alice');
    // echo-message: alice sees her own message, with the id history keeps.
    const echo = await alice.wait('privmsg', (e) => e.message === 'hello from irc');
    expect(echo.tags.msgid).toBe(got.id);

    const sent = await bob.ok('/msg #general hi from the line protocol', 'message');
    const heard = await alice.wait('privmsg', (e) => e.message === 'hi from the line protocol');
    expect(heard).toMatchObject({ nick: 'bob', target: '#general' });
    expect(heard.tags.msgid).toBe(sent.id);
    expect(heard.tags.account).toBe('bob');

    // A direct message, both ways.
    alice.client.say('bob', 'psst');
    expect((await bob.next((e) => e.type === 'message' && e.text === 'psst')).to).toBe('bob');
    await bob.ok('/msg alice back at you', 'message');
    expect((await alice.wait('privmsg', (e) => e.message === 'back at you')).target).toBe('alice');

    // ACTION and PART, seen on the line protocol as /me and a part.
    alice.client.action('#general', 'waves');
    expect(await bob.next((e) => e.type === 'message' && e.kind === 'action')).toMatchObject({ from: 'alice', text: 'waves' });
    alice.client.join('#irc-side');
    await alice.wait('join', (e) => e.channel === '#irc-side');
    alice.client.part('#general', 'bye all');
    expect(await bob.next((e) => e.type === 'part' && e.user === 'alice')).toMatchObject({ channel: '#general', text: 'bye all' });
    await alice.wait('part', (e) => e.channel === '#general');
  });

  it('logs in with PASS account:password; a wrong one gets 464 and the connection is closed', async () => {
    server = await startIrc(db);
    await account(server, 'carol');
    const ok = await raw();
    ok.send(`PASS :carol:${PASSWORD}`, 'NICK whatever', 'USER x 0 * :x');
    expect(await ok.next(/ 001 /)).toMatch(/^:whiskr 001 carol :Welcome/);
    await ok.next(/ 005 carol .*CASEMAPPING=ascii .*are supported/);
    await ok.next(/^:carol!carol@whiskr JOIN #general$/);
    await ok.next(/ 366 carol #general /);

    const bad = await raw();
    bad.send('PASS carol:wrong', 'NICK carol', 'USER x 0 * :x');
    await bad.next(/ 464 /);
    await bad.next(/^ERROR /);
    await bad.whenClosed();
  });

  it('an unauthenticated client is told how to log in, can do nothing else, then logs in with NickServ', async () => {
    server = await startIrc(db);
    await account(server, 'dave');
    const c = await raw();
    await c.register('dave');
    await c.next(/NOTICE dave :You are not logged in/);
    c.send('JOIN #general');
    await c.next(/ 451 dave /);
    c.send('PRIVMSG #general :sneaky');
    await c.next(/NickServ NOTICE dave :Log in first/);
    c.send('PRIVMSG NickServ :IDENTIFY wrong');
    await c.next(/NickServ NOTICE dave :.*(BAD_LOGIN|password)/i);
    c.send(`PRIVMSG NickServ :IDENTIFY dave ${PASSWORD}`);
    await c.next(/^:dave!dave@whiskr JOIN #general$/);
    await c.next(/NickServ NOTICE dave :You are now logged in as dave/);
  });

  it('NickServ REGISTER makes the account of the nick; QUIT is seen as leaving by line-protocol users', async () => {
    server = await startIrc(db);
    const bob = await member(server, 'bob');
    const c = await raw();
    await c.register('erin');
    c.send(`PRIVMSG NickServ :REGISTER ${PASSWORD}`);
    await c.next(/^:erin!erin@whiskr JOIN #general$/);
    await bob.next((e) => e.type === 'join' && e.user === 'erin');
    c.send('QUIT :gone fishing');
    await c.next(/^ERROR /);
    await c.whenClosed();
    await bob.next((e) => (e.type === 'part' || e.type === 'presence') && (e.user === 'erin'));
  });

  it('answers PING, refuses unknown commands and overlong lines, and neutralises control characters', async () => {
    server = await startIrc(db);
    await account(server, 'frank');
    const bob = await member(server, 'bob');
    const c = await raw();
    await c.register('frank', `:frank:${PASSWORD}`);
    c.send('PING :tok123');
    await c.next(/^:whiskr PONG whiskr :?tok123$/);
    c.send('FROBNICATE x');
    await c.next(/ 421 frank FROBNICATE /);
    c.send('PRIVMSG #general :' + 'x'.repeat(9000));
    await c.next(/ 417 frank /);
    c.send('PRIVMSG #general :red \u000304alert\u001b[2J');
    const m = await bob.next((e) => e.type === 'message' && e.from === 'frank');
    expect(m.text).toContain('\u0003'); // stored as sent; every rendering makes it inert
    await bob.ok('/msg #general \u0001VERSION\u0001 \u001b[31m', 'message');
    const line = await c.next(/PRIVMSG #general :.*VERSION/);
    expect(line).not.toMatch(/[\u0000-\u001f]/);
  });
});
