import { afterEach, describe, expect, it } from 'vitest';
import { PASSWORD, account, databaseKinds, eventually, member, type TestServer } from '../../core/testing/index.js';
import { Framework, RawIrc, startIrc } from './testing.js';

/** Replies irctest (progval/irctest) checks and real clients rely on: numerics, limits, standard replies. */
describe.each(databaseKinds())('IRC conformance (%s)', (db) => {
  let server: TestServer | undefined;
  const open: { close(): void }[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    await server?.stop();
    server = undefined;
  });

  async function raw(): Promise<RawIrc> {
    const c = await RawIrc.connect(server!);
    open.push(c);
    return c;
  }
  async function irc(name: string, caps = ''): Promise<RawIrc> {
    const c = await RawIrc.loggedIn(server!, name, caps);
    open.push(c);
    return c;
  }

  it('registration: an empty real name, a PING without a token, TIME and LUSERS', async () => {
    server = await startIrc(db);
    const anon = await raw();
    anon.send('NICK someone', 'USER u 0 * :');
    await anon.next(/ 461 someone USER /);
    const c = await irc('alice');
    c.send('PING');
    await c.next(/ 461 alice PING /);
    c.send('TIME');
    await c.next(/^:whiskr 391 alice whiskr :\w{3}, \d\d \w{3} \d{4} /);
    c.send('LUSERS');
    await c.next(/ 251 alice :There are 1 users/);
    await c.next(/ 253 alice 1 :unknown connection/);
    await c.next(/ 265 alice :Current local users: 1$/);
    await c.next(/ 266 alice :Current global users: 1$/);
  });

  it('refuses invalid UTF-8 with FAIL INVALID_UTF8, and too many tag or message bytes with 417, relaying nothing', async () => {
    server = await startIrc(db);
    const bob = await member(server, 'bob');
    const c = await irc('carol');
    c.socket.write(Buffer.from([...Buffer.from('PRIVMSG #general :bad '), 0xaa, 0x0d, 0x0a]));
    await c.next(/^:whiskr FAIL \* INVALID_UTF8 :/);
    c.send(`@+example=${'a'.repeat(4095)} PRIVMSG #general :too many tags`);
    await c.next(/ 417 carol /);
    c.send(`PRIVMSG #general :${'b'.repeat(500)}`);
    await c.next(/ 417 carol /);
    c.send(`@+example=${'a'.repeat(4000)} PRIVMSG #general :${'c'.repeat(400)}`);
    // The last line is within both limits: it is the first to arrive.
    expect((await bob.next((e) => e.type === 'message')).text).toBe('c'.repeat(400));
  });

  it('SASL: a chunk over 400 bytes is 905; the replies before NICK name the client *', async () => {
    server = await startIrc(db);
    const c = await raw();
    c.send('CAP LS 302', 'CAP REQ :sasl', 'NICK dave', 'USER d 0 * :d', 'AUTHENTICATE PLAIN');
    await c.next(/^AUTHENTICATE \+$/);
    c.send(`AUTHENTICATE ${'A'.repeat(404)}`);
    await c.next(/ 905 /);
    // SASL before NICK: the replies name the client '*'.
    await account(server, 'rita');
    const r = await raw();
    r.send('CAP LS 302', 'CAP REQ :sasl', 'AUTHENTICATE PLAIN');
    await r.next(/^AUTHENTICATE \+$/);
    r.send(`AUTHENTICATE ${Buffer.from(`rita\0rita\0${PASSWORD}`).toString('base64')}`);
    await r.next(/ 900 \* rita!rita@whiskr rita :You are now logged in as rita$/);
    await r.next(/ 903 \* :SASL authentication successful$/);
  });

  it('JOIN of a bad name is 479, KICK on no channel 403, LIST #name lists that one', async () => {
    server = await startIrc(db);
    const c = await irc('erin');
    c.send('JOIN #no!pe');
    await c.next(/ 479 erin #no!pe /);
    c.send('KICK #nowhere bob :x');
    await c.next(/ 403 erin #nowhere /);
    c.send('JOIN #second');
    await c.next(/ 366 erin #second /);
    c.send('LIST #second');
    await c.next(/ 321 erin /);
    expect(await c.next(/ 32[23] erin /)).toMatch(/ 322 erin #second 1 /);
    await c.next(/ 323 erin /);
  });

  it('INVITE: 443 for someone already there, RPL_AWAY for an away user, the account tag; PRIVMSG and USERHOST show away', async () => {
    server = await startIrc(db);
    const bob = await member(server, 'bob');
    const frank = await irc('frank');
    const gina = await irc('gina', 'account-tag');
    frank.send('INVITE bob #general');
    await frank.next(/ 443 frank bob #general :is already on channel$/);
    await bob.ok('/away gone fishing', 'presence');
    frank.send('JOIN #pond', 'INVITE bob #pond');
    await frank.next(/ 341 frank bob #pond$/);
    await frank.next(/ 301 frank bob :gone fishing$/);
    frank.send('PRIVMSG bob :hello?');
    await frank.next(/ 301 frank bob :gone fishing$/);
    frank.send('USERHOST bob gina');
    await frank.next(/ 302 frank :bob=-bob@whiskr gina=\+gina@whiskr$/);
    frank.send('INVITE gina #pond');
    await gina.next(/^@account=frank :frank!frank@whiskr INVITE gina #pond$/);
  });

  it('ISUPPORT gives the channels plugin\'s topic length and channel limit (TOPICLEN, CHANLIMIT), as it enforces them', async () => {
    server = await startIrc(db, { channels: { maxTopicLength: 77, maxChannelsPerUser: 3 } });
    await account(server, 'hank');
    const c = await raw();
    c.send(`PASS :hank:${PASSWORD}`, 'NICK hank', 'USER h 0 * :h');
    const isupport = await c.next(/ 005 hank /);
    expect(isupport).toMatch(/ TOPICLEN=77 CHANLIMIT=#:3 /);
    c.send(`TOPIC #general :${'t'.repeat(78)}`);
    await c.next(/NOTICE hank :BAD_ARGUMENTS: A topic is at most 77 characters/);
    c.send(`TOPIC #general :${'t'.repeat(77)}`);
    await c.next(new RegExp(`^:hank!hank@whiskr TOPIC #general t{77}$`));
  });

  it('invite-notify: members with the capability see INVITEs to their channel, from IRC and the line protocol; others do not', async () => {
    server = await startIrc(db);
    const bob = await member(server, 'bob');
    await account(server, 'outsider');
    const ivy = await irc('ivy', 'invite-notify account-tag');
    const jack = await irc('jack');
    const ken = await irc('ken', 'invite-notify');
    bob.send('/channel create #club ivy jack');
    await ivy.next(/ 366 ivy #club /);
    await jack.next(/ 366 jack #club /);

    await bob.ok('/channel invite #club outsider');
    await ivy.next(/^@account=bob :bob!bob@whiskr INVITE outsider #club$/);
    jack.send('INVITE outsider #general');
    await jack.next(/ 341 jack outsider #general$/);
    await ivy.next(/^@account=jack :jack!jack@whiskr INVITE outsider #general$/);
    await ken.next(/^:jack!jack@whiskr INVITE outsider #general$/);

    // Jack has no invite-notify, and ken is not in #club: neither saw an INVITE that was not theirs.
    await bob.ok('/msg #general after the invites', 'message');
    await jack.next(/PRIVMSG #general :after the invites/);
    await ken.next(/PRIVMSG #general :after the invites/);
    expect(jack.lines.filter((l) => / INVITE /.test(l))).toEqual([]);
    expect(ken.lines.filter((l) => / INVITE /.test(l))).toEqual([':jack!jack@whiskr INVITE outsider #general']);
    expect(ivy.lines.filter((l) => / INVITE /.test(l))).toHaveLength(2);
  });

  it('a user leaving the server is one QUIT to an IRC client (irc-framework), whatever the channels shared; a part with quit on the line protocol', async () => {
    server = await startIrc(db);
    const carol = await member(server, 'carol');
    await account(server, 'alice');
    const alice = new Framework().connect(server, { nick: 'alice', account: { account: 'alice', password: PASSWORD } });
    open.push(alice);
    await alice.wait('join', (e) => e.channel === '#general' && e.nick === 'alice');
    alice.client.join('#two');
    await alice.wait('join', (e) => e.channel === '#two');
    const bob = await irc('bob');
    bob.send('JOIN #two');
    await alice.wait('join', (e) => e.channel === '#two' && e.nick === 'bob');
    bob.send('QUIT :off to bed');
    const quit = await alice.wait('quit', (e) => e.nick === 'bob');
    expect(quit.message).toBe('off to bed');
    expect(await carol.next((e) => e.type === 'part' && e.user === 'bob')).toMatchObject({ channel: '#general', text: 'off to bed', quit: true });
    // After the QUIT, anything else: no PART of bob's, and one QUIT only.
    await carol.ok('/msg #general still here', 'message');
    await alice.wait('privmsg', (e) => e.message === 'still here');
    expect(alice.events.filter((x) => x.name === 'quit')).toHaveLength(1);
    expect(alice.events.filter((x) => x.name === 'part' && x.e.nick === 'bob')).toEqual([]);
  });

  it('away-notify: someone away who joins is followed by their AWAY, for clients with the capability only', async () => {
    server = await startIrc(db);
    const lena = await irc('lena', 'away-notify');
    const mo = await irc('mo');
    lena.send('JOIN #den');
    mo.send('JOIN #den');
    await lena.next(/ 366 lena #den /);
    await mo.next(/ 366 mo #den /);
    const bob = await member(server, 'bob');
    await bob.ok('/away in a meeting', 'presence');
    await bob.ok('/join #den', 'join');
    await lena.next(/^:bob!bob@whiskr JOIN #den$/);
    expect(await lena.next(/./)).toBe(':bob!bob@whiskr AWAY :in a meeting');
    await mo.next(/^:bob!bob@whiskr JOIN #den$/);
    await bob.ok('/msg #den back soon', 'message');
    expect(await mo.next(/./)).toMatch(/PRIVMSG #den :back soon$/);
  });

  it('NOTICE stays a notice: IRC clients get a NOTICE, the line protocol kind notice, history keeps it, and bots never answer it', async () => {
    server = await startIrc(db, { bots: {} });
    const bob = await member(server, 'bob');
    const nina = await irc('nina', 'echo-message');
    const olga = await irc('olga');
    nina.send('NOTICE #general :heads up');
    await nina.next(/^:nina!nina@whiskr NOTICE #general :heads up$/);
    await olga.next(/^:nina!nina@whiskr NOTICE #general :heads up$/);
    expect(await bob.next((e) => e.type === 'message' && e.from === 'nina')).toMatchObject({ kind: 'notice', text: 'heads up' });

    nina.send('NOTICE #general :!roll 6d6', 'PRIVMSG #general :!roll 1d2');
    const answer = await bob.next((e) => e.type === 'message' && e.from === 'dice');
    expect(answer.text).toMatch(/rolled 1d2/);
    const history = await bob.ok('/history #general 10', 'history');
    expect(history.messages.map((m: { kind: string; text: string }) => [m.kind, m.text])).toEqual(expect.arrayContaining([['notice', 'heads up'], ['notice', '!roll 6d6']]));
  });

  it('a message to oneself is delivered to oneself: once, or echo and delivery with echo-message (only the echo labeled)', async () => {
    server = await startIrc(db);
    const quin = await irc('quin');
    quin.send('PRIVMSG quin :note to self');
    await quin.next(/^:quin!quin@whiskr PRIVMSG quin :note to self$/);
    quin.send('PING :one');
    await quin.next(/PONG whiskr :?one/);
    const rex = await irc('rex', 'echo-message batch labeled-response');
    rex.send('@label=n1 PRIVMSG rex :second note');
    await rex.next(/label=n1\b.* PRIVMSG rex :second note$/);
    await rex.next(/^(?!.*label=).* PRIVMSG rex :second note$/);
    rex.send('PING :two');
    await rex.next(/PONG whiskr :?two/);
    const copies = rex.lines.filter((l) => / PRIVMSG rex :second note$/.test(l));
    expect(copies).toHaveLength(2);
    expect(copies.filter((l) => l.includes('label=n1'))).toHaveLength(1);
    expect(quin.lines.filter((l) => / PRIVMSG quin :note to self$/.test(l))).toHaveLength(1);
  });

  it('lines sent right after registration wait for the login and the welcome; registering during SASL aborts it (906)', async () => {
    server = await startIrc(db);
    await account(server, 'pia');
    const c = await raw();
    c.send(`PASS :pia:${PASSWORD}`, 'NICK pia', 'USER p 0 * :p', 'JOIN #pipelined', 'PING :after');
    await c.next(/ 001 pia /);
    await c.next(/^:pia!pia@whiskr JOIN #pipelined$/);
    await c.next(/ PONG \S+ :?after$/);
    expect(c.lines.filter((l) => / 451 /.test(l))).toEqual([]);

    const d = await raw();
    d.send('CAP LS 302', 'CAP REQ :sasl', 'AUTHENTICATE PLAIN');
    await d.next(/^AUTHENTICATE \+$/);
    d.send('NICK quinn', 'USER q 0 * :q', 'CAP END');
    await d.next(/ 906 quinn :SASL authentication aborted$/);
    await d.next(/ 001 quinn /);
  });

  it('userhost-in-names: NAMES and the join\'s names as masks; a long NAMES cut between names', async () => {
    server = await startIrc(db);
    for (let n = 0; n < 30; n++) await member(server, `member-with-long-name-${n}`);
    const sam = await irc('sam', 'userhost-in-names');
    const tom = await irc('tom');
    async function names(c: RawIrc, nick: string): Promise<string[]> {
      c.send('NAMES #general');
      const got: string[] = [];
      const re = new RegExp(` (353|366) ${nick} `);
      for (let l = await c.next(re); !/ 366 /.test(l); l = await c.next(re)) {
        expect(Buffer.byteLength(l) + 2).toBeLessThanOrEqual(512);
        got.push(...l.slice(l.indexOf(' :', 1) + 2).split(' '));
      }
      return got;
    }
    const masks = await names(sam, 'sam');
    expect(masks).toHaveLength(32);
    expect(masks).toContain('sam!sam@whiskr');
    expect(masks).toContain('member-with-long-name-29!member-with-long-name-29@whiskr');
    const plain = await names(tom, 'tom');
    expect(plain).toHaveLength(32);
    expect(plain).toContain('tom');
    expect(plain.filter((n) => n.includes('!'))).toEqual([]);
    sam.send('JOIN #masks');
    await sam.next(/^:sam!sam@whiskr JOIN #masks$/);
    expect(await sam.next(/ 353 sam /)).toMatch(/ 353 sam = #masks :?sam!sam@whiskr$/);
  });

  it('WHOWAS: an offline account with when it was last seen; 406 for no such nick, 461 without one', async () => {
    server = await startIrc(db);
    const gone = await member(server, 'uma');
    await gone.ok('/quit', 'bye').catch(() => {});
    gone.close();
    await eventually(() => !server!.server.isOnline('uma'), 'uma to be gone');
    const c = await irc('vic');
    c.send('WHOWAS uma');
    await c.next(/ 314 vic uma uma whiskr \* :?uma$/);
    await c.next(/ 312 vic uma whiskr :last seen \d{4}-\d\d-\d\dT/);
    await c.next(/ 369 vic uma :End of WHOWAS$/);
    c.send('WHOWAS nobody-here');
    await c.next(/ 406 vic nobody-here :There was no such nickname$/);
    await c.next(/ 369 vic nobody-here /);
    c.send('WHOWAS vic');
    await c.next(/ 406 vic vic /);
    c.send('WHOWAS');
    await c.next(/ 461 vic WHOWAS /);
  });

  it('WHO with a mask lists the online users whose nick matches', async () => {
    server = await startIrc(db);
    await member(server, 'wanda');
    await member(server, 'walt');
    await member(server, 'w.x');
    await account(server, 'wayne'); // offline: not listed
    const c = await irc('xena');
    async function who(mask: string): Promise<string[]> {
      c.send(`WHO ${mask}`);
      const nicks: string[] = [];
      for (let l = await c.next(/ (352|315) xena /); !/ 315 /.test(l); l = await c.next(/ (352|315) xena /)) nicks.push(l.split(' ')[7]!);
      return nicks;
    }
    expect(await who('wa*')).toEqual(['walt', 'wanda']);
    expect(await who('W?LT')).toEqual(['walt']);
    expect(await who('w.*')).toEqual(['w.x']);
    expect(await who('*')).toEqual(['w.x', 'walt', 'wanda', 'xena']);
  });
});
