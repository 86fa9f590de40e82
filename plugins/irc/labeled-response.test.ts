import { afterEach, describe, expect, it } from 'vitest';
import { defineCommand } from '../../core/index.js';
import { PASSWORD, account, databaseKinds, eventually, member, say, startChat, type TestServer } from '../../core/testing/index.js';
import { Framework, RawIrc, startIrc } from './testing.js';
import { parseIrc } from './message.js';

/** IRCv3 labeled-response end to end: irc-framework and raw lines against the real listener, on both databases. */
describe.each(databaseKinds())('labeled-response (%s)', (db) => {
  let server: TestServer | undefined;
  const open: { close(): void }[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    await server?.stop();
    server = undefined;
  });

  /** irc-framework with labeled-response (and its own batch), logged in with SASL; every line it gets is kept. */
  async function framework(nick: string): Promise<{ f: Framework; lines: string[] }> {
    const f = new Framework();
    const lines: string[] = [];
    f.client.on('raw', (e: { line: string; from_server: boolean }) => { if (e.from_server) lines.push(e.line.replace(/\r?\n?$/, '')); });
    f.client.requestCap('labeled-response');
    f.connect(server!, { nick, account: { account: nick, password: PASSWORD } });
    open.push(f);
    await f.wait('registered');
    expect(f.client.network.cap.enabled).toEqual(expect.arrayContaining(['labeled-response', 'batch']));
    return { f, lines };
  }

  /** The lines with a label, once the one that ends that label's reply has come (its one line, ACK, or batch end). */
  async function replyTo(lines: string[], label: string): Promise<string[]> {
    return eventually(() => {
      const first = lines.findIndex((l) => parseIrc(l)?.tags.label === label);
      if (first < 0) return undefined;
      const start = parseIrc(lines[first]!)!;
      if (start.command !== 'BATCH') return [lines[first]!];
      const ref = start.params[0]!.slice(1);
      const end = lines.findIndex((l, i) => i > first && parseIrc(l)?.command === 'BATCH' && parseIrc(l)!.params[0] === `-${ref}`);
      return end < 0 ? undefined : lines.slice(first, end + 1).filter((l, i, all) => i === 0 || i === all.length - 1 || parseIrc(l)!.tags.batch !== undefined);
    }, `the reply to ${label}`).catch((err: Error) => { throw new Error(`${err.message}; last lines:\n${lines.slice(-10).join('\n')}`); });
  }

  it('labels one line, batches several (irc-framework reads the batch), ACKs none', async () => {
    server = await startIrc(db);
    await account(server, 'alice');
    await member(server, 'bob');
    const { f, lines } = await framework('alice');
    await f.wait('join', (e) => e.channel === '#general');

    // One line: the label on it.
    f.client.raw('@label=p1 PING hello');
    const [pong] = await replyTo(lines, 'p1');
    expect(parseIrc(pong!)).toMatchObject({ tags: { label: 'p1' }, command: 'PONG' });

    // Several: a labeled-response batch, which irc-framework unpacks into its usual whois event.
    const batches: { type: string; commands: { command: string }[] }[] = [];
    f.client.on('batch end labeled-response', (e) => batches.push(e));
    f.client.raw('@label=w1 WHOIS bob');
    const whois = await replyTo(lines, 'w1');
    expect(whois[0]).toMatch(/^@label=w1 :whiskr BATCH \+\S+ labeled-response$/);
    expect(whois.at(-1)).toMatch(/^:whiskr BATCH -\S+$/);
    expect(whois.slice(1, -1).map((l) => parseIrc(l)!.command)).toEqual(expect.arrayContaining(['311', '318']));
    expect(whois.slice(1, -1).every((l) => parseIrc(l)!.tags.label === undefined)).toBe(true);
    await eventually(() => batches.length === 1, 'irc-framework to read the batch');
    expect(batches[0]!.commands.map((c) => c.command)).toEqual(whois.slice(1, -1).map((l) => parseIrc(l)!.command));
    expect(await f.wait('whois', (e) => e.nick === 'bob')).toBeTruthy();

    // None: a labeled ACK (a PONG, and a PRIVMSG without echo-message).
    const acks: { tags: Record<string, string> }[] = [];
    f.client.on('unknown command', (c) => { if (c.command === 'ACK') acks.push(c); });
    f.client.raw('@label=n1 PONG :whiskr');
    f.client.say('#general', 'labeled hello', { label: 'm1' });
    expect(await replyTo(lines, 'n1')).toEqual(['@label=n1 :whiskr ACK']);
    expect(await replyTo(lines, 'm1')).toEqual(['@label=m1 :whiskr ACK']);
    await eventually(() => acks.length === 2, 'irc-framework to see both ACKs');
    expect(acks.map((a) => a.tags.label)).toEqual(['n1', 'm1']);

    // An error is the reply too.
    f.client.raw('@label=e1 PRIVMSG nobody-here :hi');
    expect(parseIrc((await replyTo(lines, 'e1'))[0]!)).toMatchObject({ command: '401' });
  });

  it("nests a join's playback batch in the reply, and leaves another user's message meanwhile unlabeled", async () => {
    server = await startIrc(db);
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let waiting = false;
    server.server.commands.add(defineCommand({ name: 'gate', usage: '/gate', summary: 'waits', access: 'user', run: async () => { waiting = true; await gate; } }), 'test');
    await account(server, 'alice');
    const bob = await member(server, 'bob');
    await bob.ok('/join #dev', 'join');
    await say(bob, 'earlier in dev');

    const c = await RawIrc.connect(server);
    open.push(c);
    c.send('CAP LS 302', 'CAP REQ :batch labeled-response message-tags server-time', 'CAP END');
    await c.register('alice', `:alice:${PASSWORD}`);
    await c.next(/ 366 alice #general /);

    c.send('@label=j1 JOIN #dev');
    const start = await c.next(/^@label=j1 :whiskr BATCH \+\S+ labeled-response$/);
    const ref = /BATCH \+(\S+)/.exec(start)![1]!;
    const body: string[] = [];
    for (let line = await c.next(/./); !line.startsWith(`:whiskr BATCH -${ref}`); line = await c.next(/./)) body.push(line);
    const commands = body.map((l) => parseIrc(l)!);
    expect(commands.map((m) => m.command)).toEqual(['JOIN', '353', '366', 'BATCH', 'PRIVMSG', 'BATCH']);
    // The playback batch nests: its start and end are in the reply's batch, its message in its own.
    const inner = commands[3]!.params[0]!.slice(1);
    expect(commands.map((m) => m.tags.batch)).toEqual([ref, ref, ref, ref, inner, ref]);
    expect(commands[4]!.params[1]).toBe('earlier in dev');

    // Whiskr's /gate waits; bob's message comes meanwhile, outside the reply.
    c.send('@label=g1 WHISKR gate');
    await eventually(() => waiting, 'the gate to be waited on');
    await bob.ok('/msg #general meanwhile', 'message');
    const meanwhile = await c.next(/PRIVMSG #general :?meanwhile$/);
    expect(parseIrc(meanwhile)!.tags.label).toBeUndefined();
    expect(parseIrc(meanwhile)!.tags.batch).toBeUndefined();
    release();
    expect(parseIrc(await c.next(/label=g1/))).toMatchObject({ tags: { label: 'g1' }, prefix: 'Whiskr', command: 'NOTICE' });

    // Without the capabilities a label is not echoed.
    const plain = await RawIrc.connect(server);
    open.push(plain);
    await plain.register('carol');
    plain.send('@label=x1 PING there');
    expect(await plain.next(/PONG/)).not.toMatch(/label/);
  });

  it('labels the refusal of a line flood control dropped, as that line\'s whole reply', async () => {
    server = await startChat(db, { irc: { port: 0 } }, { config: { flood: { enabled: true, burst: 10, linesPerSecond: 50, maxQueuedLines: 10, maxRefusedPerMinute: 100 } } });
    await account(server, 'alice');
    const c = await RawIrc.connect(server);
    open.push(c);
    c.send('CAP LS 302', 'CAP REQ :batch labeled-response', 'CAP END');
    await c.register('alice', `:alice:${PASSWORD}`);
    await c.next(/ 366 alice #general /);
    c.send(...Array.from({ length: 40 }, (_, i) => `@label=f${i} PING x${i}`));
    const replies = await eventually(() => {
      const labeled = c.lines.filter((l) => /^@label=f\d+ /.test(l));
      return labeled.length === 40 ? labeled : undefined;
    }, 'a labeled reply to each of the 40 lines');
    // Each line got one reply under its own label: its PONG, or the refusal.
    expect(new Set(replies.map((l) => parseIrc(l)!.tags.label)).size).toBe(40);
    const refused = replies.filter((l) => l.includes('RATE_LIMITED'));
    expect(refused.length).toBeGreaterThan(0);
    for (const l of refused) expect(parseIrc(l)).toMatchObject({ prefix: 'whiskr', command: 'NOTICE', params: ['alice', expect.stringMatching(/^RATE_LIMITED: /)] });
    for (const l of replies.filter((r) => !r.includes('RATE_LIMITED'))) {
      const m = parseIrc(l)!;
      expect(m.command).toBe('PONG');
      expect(m.params.at(-1)).toBe(`x${m.tags.label!.slice(1)}`);
    }
  });
});
