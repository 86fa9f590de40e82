import { afterEach, describe, expect, it } from 'vitest';
import { defineCommand } from './index.js';
import { account, databaseKinds, eventually, member, PASSWORD, say, startChat, TestServer, type JsonEvent, type TestClient } from './testing/index.js';

/**
 * Request labels over real TCP (docs/protocol.md, "Request labels"): every line of a labeled command's reply
 * carries its label, `end` closes it; what others send meanwhile carries none; unlabeled lines are untouched.
 */

/** The events labeled `label`, once its `end` has come. */
async function labeled(c: TestClient, label: string): Promise<JsonEvent[]> {
  await c.next((e) => e.type === 'end' && e.label === label);
  return c.events.filter((e) => e.label === label);
}

/** The raw lines labeled `label` (text format), once its `end` line has come. */
async function labeledLines(c: TestClient, label: string): Promise<string[]> {
  await c.line(new RegExp(`^@label=${label} \\* end$`));
  return c.lines.filter((l) => l.startsWith(`@label=${label} `));
}

describe.each(databaseKinds())('request labels (%s)', (db) => {
  let server: TestServer | undefined;
  afterEach(async () => { await server?.stop(); server = undefined; });

  it('labels every line of a join reply (the join, its replay) and closes it with end, in json', async () => {
    server = await startChat(db);
    const bob = await member(server, 'bob');
    await bob.ok('/join #dev', 'join');
    await say(bob, 'earlier in dev');
    const alice = await member(server, 'alice');
    const from = alice.lines.length;
    alice.send('@label=j1 /join #dev');
    const reply = await labeled(alice, 'j1');
    expect(reply.map((e) => e.type)).toEqual(['join', 'history', 'end']);
    expect(reply[0]).toMatchObject({ channel: '#dev', user: 'alice' });
    expect(reply[1]!.messages.map((m: JsonEvent) => m.text)).toEqual(['earlier in dev']);
    // Nothing of the reply came without the label.
    const rest = alice.lines.slice(from).map((l) => JSON.parse(l) as JsonEvent).filter((e) => e.label === undefined);
    expect(rest.filter((e) => (e.type === 'join' && e.user === 'alice') || e.type === 'history')).toEqual([]);
    alice.send('@label=h2 /history #dev');
    const page = await labeled(alice, 'h2');
    expect(page.map((e) => e.type)).toEqual(['history', 'end']);
    expect(page[0]!.messages.map((m: JsonEvent) => m.text)).toEqual(['earlier in dev']);
    // Unlabeled lines are answered as before, without the field.
    expect(await alice.ok('/ping x', 'pong')).toEqual({ type: 'pong', token: 'x' });
  });

  it("labels a login's whole reply: the login, the auto-joins and their replay, the messages kept while away", async () => {
    server = await startChat(db);
    const bob = await member(server, 'bob');
    await account(server, 'carol');
    await bob.ok('/msg carol while you were out', 'message');
    const carol = await server.json();
    carol.send(`@label=l1 /login carol ${PASSWORD}`);
    const reply = await labeled(carol, 'l1');
    expect(reply.map((e) => e.type)).toEqual(['login', 'join', 'history', 'message', 'end']);
    expect(reply[3]).toMatchObject({ text: 'while you were out', offline: true });
    // What the login told bob is no part of bob's replies.
    const joined = await bob.next((e) => e.type === 'join' && e.user === 'carol');
    expect(joined.label).toBeUndefined();
  });

  it('labels every line in text format, a multi-line reply included', async () => {
    server = await startChat(db);
    const alice = await server.connect();
    alice.send('@label=h1 /help');
    const help = await labeledLines(alice, 'h1');
    expect(help.length).toBeGreaterThan(3);
    expect(help[0]).toBe('@label=h1 * Commands:');
    expect(help.at(-1)).toBe('@label=h1 * end');
    // Every line from the first of the reply to its end is labeled.
    const first = alice.lines.indexOf(help[0]!);
    const last = alice.lines.indexOf(help.at(-1)!);
    expect(alice.lines.slice(first, last + 1)).toEqual(help);
    alice.send('@label=e1 /join');
    expect(await labeledLines(alice, 'e1')).toEqual(['@label=e1 ! NOT_LOGGED_IN: Log in first to use /join.', '@label=e1 * end']);
    alice.send('/ping plain');
    await alice.line(/^\* pong plain$/);
  });

  it("leaves others' messages that arrive during a labeled command unlabeled", async () => {
    server = await startChat(db);
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let waiting = false;
    server.server.commands.add(defineCommand({
      name: 'gate', usage: '/gate', summary: 'waits', access: 'user',
      run: async () => { waiting = true; await gate; },
    }), 'test');
    const alice = await member(server, 'alice');
    const bob = await member(server, 'bob');
    alice.send('@label=g1 /gate');
    await eventually(() => waiting, 'the gate to be waited on');
    await say(bob, 'meanwhile');
    const meanwhile = await alice.next((e) => e.type === 'message' && e.text === 'meanwhile');
    expect(meanwhile.label).toBeUndefined();
    release();
    expect((await labeled(alice, 'g1')).map((e) => e.type)).toEqual(['ok', 'end']);

    // A labeled message: the sender's copy is its reply, labeled; the others' copies are not.
    alice.send('@label=m1 hello all');
    expect((await labeled(alice, 'm1')).map((e) => [e.type, e.text])).toEqual([['message', 'hello all'], ['end', undefined]]);
    const copy = await bob.next((e) => e.type === 'message' && e.text === 'hello all');
    expect(copy.label).toBeUndefined();
  });

  it('answers a bad label with BAD_LABEL and runs nothing; "@" chat lines stay messages', async () => {
    server = await startChat(db);
    const alice = await member(server, 'alice');
    const bad = await alice.request('@label=bad;x /quit', '__never__');
    expect(bad).toMatchObject({ type: 'error', code: 'BAD_LABEL' });
    expect(bad.label).toBeUndefined();
    expect(alice.closed).toBe(false);
    expect(await say(alice, '@bob hi')).toMatchObject({ text: '@bob hi' });
    expect(await say(alice, '@label hi')).toMatchObject({ text: '@label hi' });
    // A blank labeled line runs nothing: its reply is the end alone.
    alice.send('@label=b1');
    expect((await labeled(alice, 'b1')).map((e) => e.type)).toEqual(['end']);
  });
});

describe('request labels and flood control', () => {
  let server: TestServer | undefined;
  afterEach(async () => { await server?.stop(); server = undefined; });

  it('labels the refusal of a line that found the queue full, and closes it with end', async () => {
    server = await TestServer.start({ config: { flood: { enabled: true, burst: 5, linesPerSecond: 50, maxQueuedLines: 10, maxRefusedPerMinute: 100 } } });
    const c = await server.json();
    c.write(Array.from({ length: 30 }, (_, i) => `@label=f${i} /ping ${i}\n`).join(''));
    const ends = await c.until(() => {
      const e = c.events.filter((x) => x.type === 'end');
      return e.length === 30 ? e : undefined;
    }, '30 ends');
    expect(ends.map((e) => e.label).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `f${i}`).sort());
    const refused = c.events.filter((e) => e.type === 'error' && e.code === 'RATE_LIMITED');
    expect(refused.length).toBeGreaterThan(0);
    for (const e of refused) expect(e).toMatchObject({ command: 'ping', label: expect.stringMatching(/^f\d+$/) });
    // Each line got exactly one reply and one end, under its own label.
    for (let i = 0; i < 30; i++) {
      const mine = c.events.filter((e) => e.label === `f${i}`);
      expect(mine).toHaveLength(2);
      expect(mine[1]!.type).toBe('end');
      if (mine[0]!.type === 'pong') expect(mine[0]!.token).toBe(String(i));
    }
  });
});
