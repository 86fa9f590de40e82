import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { databaseKinds, ManualClock, TestServer, type JsonEvent, type TestClient, type TestDatabaseKind, type TestServerOptions, PASSWORD, member, say } from '../../core/testing/index.js';

/**
 * The bots as users meet them: over TCP, with the auth, history and channels plugins, on SQLite and MySQL.
 * Bot answers are `message` events from the bot (bot: true), delivered to the channel or as a DM.
 */
const FAULTY = join(import.meta.dirname, '..', '..', 'core', 'testing', 'fixtures', 'faulty');
let ts: TestServer | undefined;
afterEach(async () => { await ts?.stop(); ts = undefined; });

type Options = { bots?: Record<string, unknown>; more?: Record<string, Record<string, unknown>> } & Omit<TestServerOptions, 'plugins' | 'db'>;
/** Rate limits off unless a test sets them, so tests can ask many things quickly. */
function start(db: TestDatabaseKind, { bots = {}, more = {}, ...rest }: Options = {}): Promise<TestServer> {
  const limits = { userCommands: 0, botAnswers: 0, ...(bots.limits as object | undefined) };
  return TestServer.start({
    db, ...rest,
    plugins: { auth: {}, history: { flushIntervalMs: 10 }, channels: {}, bots: { ...bots, limits }, ...more },
  });
}

const fromBot = (bot: string, text?: RegExp) => (e: JsonEvent) =>
  e.type === 'message' && e.from === bot && e.bot === true && (text === undefined || text.test(e.text));

/** The texts of bot messages received since event number `mark`, once at least `least` have come and a round trip is done. */
async function botLines(c: TestClient, mark: number, least = 0): Promise<string[]> {
  const texts = () => c.events.slice(mark).filter((e) => e.type === 'message' && e.bot === true).map((e) => e.text as string);
  await c.until(() => (texts().length >= least ? true : undefined), `${least} bot messages`);
  await c.sync();
  return texts();
}

/** What the bots store or read from other plugins' storage: on SQLite and MySQL. */
describe.each(databaseKinds())('bots over TCP, stored (%s)', (db) => {
  it('!seen: here now, away, last here with last words (only where the asker can read), unknown', async () => {
    // The time of day on the injected clock: "last here" names the clock time, not a date.
    ts = await start(db, { clock: ManualClock.from('2026-11-25T12:00:00Z') });
    const alice = await member(ts!, 'alice');
    const bob = await member(ts!, 'bob');
    const carol = await member(ts!, 'carol');
    await say(alice, '!seen bob');
    expect((await alice.next(fromBot('seen'))).text).toBe('bob is here now.');
    await bob.ok('/away lunch', 'presence');
    await say(alice, '!seen bob');
    expect((await alice.next(fromBot('seen'))).text).toBe('bob is here but away: lunch');

    await say(carol, 'see you tomorrow');
    await carol.ok('/quit', 'bye');
    await alice.until(() => (ts!.server.isOnline('carol') ? undefined : true), 'carol gone');
    await say(alice, '!seen carol');
    expect((await alice.next(fromBot('seen'))).text).toMatch(/^carol was last here (just now|\d+s ago) \(12:00 UTC\)\. Last words, in #general (just now|\d+s ago): “see you tomorrow”$/);

    // Words in a private channel are not quoted to someone outside it, nor are DMs.
    const dave = await member(ts!, 'dave');
    await dave.ok('/channel create #secret', 'history');
    await say(dave, 'the launch code is 1234');
    await dave.ok('/quit', 'bye');
    await alice.until(() => (ts!.server.isOnline('dave') ? undefined : true), 'dave gone');
    await say(alice, '!seen dave');
    const text = (await alice.next(fromBot('seen'))).text;
    expect(text).toMatch(/^dave was last here [^.]*\.$/); // not even that (or when) dave spoke there
    expect(text).not.toContain('1234');

    await say(alice, '!seen zed');
    expect((await alice.next(fromBot('seen'))).text).toBe("I don't know anyone called zed.");
    await say(alice, '!seen');
    expect((await alice.next(fromBot('seen'))).text).toBe('alice: usage: !seen <user>');
  });

  it('!remind: back in the channel after the time, or as a DM when asked in a DM; list and cancel', async () => {
    ts = await start(db, { clock: ManualClock.from('2026-11-25T12:00:00Z') });
    const alice = await member(ts!, 'alice');
    const bob = await member(ts!, 'bob');
    // Three at once: in a channel, in a DM, and in a channel its asker leaves before it is due.
    await say(alice, '!remind 1s stretch');
    expect((await alice.next(fromBot('remind'))).text).toMatch(/^alice: OK, I'll remind you here in 1s, at 12:00 UTC \(#\d+\)\.$/);
    await alice.ok('/msg remind remind 1s drink water', 'message');
    expect((await alice.next(fromBot('remind', /OK/))).text).toMatch(/^OK, I'll remind you in a DM in 1s/);
    await say(bob, '!remind 1s check the oven');
    await bob.next(fromBot('remind', /OK/));
    await bob.ok('/part #general', 'part');

    // Alice's two fall due in the same millisecond: they may arrive in either order.
    const both = [await alice.next(fromBot('remind', /stretch|water/), 5_000), await alice.next(fromBot('remind', /stretch|water/), 5_000)];
    const due = both.find((e) => /stretch/.test(String(e.text)));
    expect(due).toMatchObject({ channel: '#general', text: expect.stringMatching(/^alice: reminder — stretch \(set \ds ago\)$/) });
    expect(both.find((e) => /water/.test(String(e.text)))).toMatchObject({ to: 'alice', text: expect.stringMatching(/^Reminder: drink water \(set \ds ago\)$/) });
    expect(await bob.next(fromBot('remind', /oven/), 5_000)).toMatchObject({ to: 'bob', text: expect.stringMatching(/^Reminder: check the oven \(set \ds ago in #general\)$/) });
    await bob.ok('/join #general', 'history');
    expect(bob.has(fromBot('remind', /drink water/))).toBe(false);

    await say(alice, '!remind 3h go home');
    const ok = (await alice.next(fromBot('remind', /OK/))).text;
    const id = /\(#(\d+)\)/.exec(ok)![1];
    await say(alice, '!remind list');
    expect((await alice.next(fromBot('remind', /your reminders/))).text).toBe('alice: your reminders from this channel:');
    expect((await alice.next(fromBot('remind'))).text).toMatch(new RegExp(`^#${id} in 3h, at .*: go home$`));
    await say(bob, `!remind cancel ${id}`);
    expect((await bob.next(fromBot('remind', /no reminder/))).text).toBe(`bob: you have no reminder #${id}`);
    await say(alice, `!remind cancel ${id}`);
    expect((await alice.next(fromBot('remind', /Cancelled/))).text).toBe(`Cancelled reminder #${id}: go home`);
    await say(alice, '!remind soon-ish x');
    expect((await alice.next(fromBot('remind', /not a time/))).text).toMatch(/^alice: "soon-ish" is not a time/);
  });

  it('keeps reminders across a restart, and delivers one that fell due while the server was down', async () => {
    // Set at the end of the year, delivered in the next one.
    const clock = ManualClock.from('2026-12-31T23:00:00Z');
    ts = await start(db, { clock });
    const alice = await member(ts!, 'alice');
    await alice.ok('/msg remind remind 1h take the bread out', 'message');
    await alice.next(fromBot('remind', /OK/));
    await say(alice, '!remind 2h standup');
    await alice.next(fromBot('remind', /OK/));
    // Two hours later (an injected clock): both are due, and were missed while the server was down.
    const shift = 2 * 3_600_000 + 60_000;
    clock.advance(shift);
    ts = await ts.restart();
    const back = await ts.login('alice');
    const dm = await back.next(fromBot('remind', /bread/));
    expect(dm.text).toMatch(/^Reminder: take the bread out \(set 2h 1m ago\) \(due 00:00 UTC, 1h 1m late\)$/);
    expect(dm.to).toBe('alice');
    await back.ok('/history #general 5', 'history', (e) => e.messages.some((m: JsonEvent) => /standup/.test(m.text)));
    const again = await ts.login('alice');
    await again.ok('/msg remind remind list', 'message');
    expect((await again.next(fromBot('remind', /reminders/))).text).toBe('you have no reminders waiting.');
  });

  it('runs a poll: create, vote once each (a second vote changes it), results, close', async () => {
    ts = await start(db);
    const alice = await member(ts!, 'alice');
    const bob = await member(ts!, 'bob');
    const carol = await member(ts!, 'carol');
    await say(alice, '!poll Where for lunch? | Pizza | Sushi');
    expect((await bob.next(fromBot('poll'))).text).toMatch(/^alice opened poll #(\d+): Where for lunch\? — 1\) Pizza {2}2\) Sushi — vote with !vote <number>$/);
    await say(bob, '!vote 2');
    expect((await bob.next(fromBot('poll', /bob/))).text).toMatch(/^bob: vote counted — Sushi/);
    await say(bob, '!vote pizza');
    expect((await bob.next(fromBot('poll', /bob/))).text).toMatch(/^bob: vote changed from Sushi — Pizza/);
    await say(carol, '!vote 2');
    await carol.next(fromBot('poll', /carol/));
    await say(carol, '!poll');
    expect((await carol.next(fromBot('poll', /Poll/))).text).toMatch(/^Poll #\d+ by alice \(open, 2 votes\): Where for lunch\?/);
    await say(carol, '!poll results');
    expect((await carol.next(fromBot('poll', /Poll/))).text).toMatch(/^Poll #\d+ \(open\): Where for lunch\? — Pizza 1 \(50%\), Sushi 1 \(50%\) — 2 votes\.$/);
    await say(carol, '!poll close');
    expect((await carol.next(fromBot('poll', /carol/))).text).toMatch(/^carol: only alice \(who opened it\) or an admin can close poll/);
    await say(alice, '!poll close');
    expect((await carol.next(fromBot('poll', /closed/))).text).toMatch(/^Poll #\d+ \(closed by alice\): Where for lunch\? — Pizza 1 \(50%\), Sushi 1 \(50%\) — 2 votes\. Tie: Pizza, Sushi\.$/);
  });
});

/** The runner and the bots that keep nothing: the database makes no difference, SQLite keeps it quick. */
describe('bots over TCP', () => {
  const db = 'sqlite';
  it('answers !roll in the channel for everyone to see, stored in history like any message', async () => {
    ts = await start(db);
    const alice = await member(ts!, 'alice');
    const bob = await member(ts!, 'bob');
    await say(alice, '!roll 2d6+1 attack');
    const answer = await alice.next(fromBot('dice'));
    expect(answer).toMatchObject({ channel: '#general', kind: 'message', bot: true });
    expect(answer.text).toMatch(/^alice rolled 2d6\+1 \(attack\): \[([1-6]), ([1-6])\] \+ 1 = (\d+)$/);
    const [, a, b, total] = /\[(\d), (\d)\] \+ 1 = (\d+)/.exec(answer.text)!;
    expect(Number(total)).toBe(Number(a) + Number(b) + 1);
    expect((await bob.next(fromBot('dice'))).text).toBe(answer.text);
    await say(bob, '!pick tea | coffee');
    expect((await bob.next(fromBot('dice', /pick/))).text).toMatch(/^bob: I pick (tea|coffee)$/);
    await say(bob, '!flip');
    expect((await bob.next(fromBot('dice', /flipped/))).text).toMatch(/^bob flipped a coin: (heads|tails)$/);
    await say(alice, '!roll 9999d6');
    expect((await alice.next(fromBot('dice'))).text).toMatch(/^alice: that's 9999 dice; at most 100 at once\. Usage: !roll \[dice\]/);
    const history = await bob.ok('/history #general 10', 'history');
    expect(history.messages.map((m: JsonEvent) => [m.from, m.bot ?? false])).toContainEqual(['dice', true]);
    // The bots sit in #general: /who shows them as bots.
    const who = await bob.ok('/who #general', 'who');
    expect(who.users.filter((u: JsonEvent) => u.bot).map((u: JsonEvent) => u.name).sort()).toEqual(['dice', 'poll', 'remind', 'seen']);
  });

  it('!help lists the bots present and their commands; !help <command> shows its usage', async () => {
    ts = await start(db);
    const alice = await member(ts!, 'alice');
    await say(alice, '!help');
    const lines = [];
    for (const bot of ['dice', 'seen', 'remind', 'poll']) lines.push((await alice.next(fromBot(bot))).text);
    expect(lines[0]).toBe('dice — Rolls dice, flips coins, picks one of several. Commands: !roll, !flip, !pick.');
    expect(lines[3]).toMatch(/^poll — .* Commands: !poll, !vote\. Say !help <command> for how to use one\.$/);
    await say(alice, '!help remind');
    expect((await alice.next(fromBot('remind'))).text).toMatch(/^!remind <when> <text…> \| list \| cancel <id> .* — remind you of something later/);
    await say(alice, '!help weather');
    expect((await alice.next(fromBot('dice'))).text).toMatch(/^alice: no bot here knows !weather\. Commands here: !roll, !flip, !pick, !seen, !remind, !poll, !vote\.$/);
    // A channel without bots: nobody answers.
    await alice.ok('/join #quiet', 'history');
    const mark = alice.events.length;
    await say(alice, '!help');
    expect(await botLines(alice, mark)).toEqual([]);
  });

  it('takes commands in a DM, with or without !, and answers as a DM', async () => {
    ts = await start(db);
    const alice = await member(ts!, 'alice');
    await alice.ok('/msg dice help', 'message');
    const help = await alice.next(fromBot('dice'));
    expect(help).toMatchObject({ to: 'alice', text: "I'm dice: Rolls dice, flips coins, picks one of several." });
    await alice.ok('/msg dice roll d20', 'message');
    expect((await alice.next(fromBot('dice', /rolled/))).text).toMatch(/^alice rolled 1d20: \[(\d+)\] = \1$/);
    await alice.ok('/msg dice !flip', 'message');
    expect((await alice.next(fromBot('dice', /flipped/))).text).toMatch(/^alice flipped a coin: (heads|tails)$/);
    await alice.ok('/msg dice dance', 'message');
    expect((await alice.next(fromBot('dice', /know/))).text).toMatch(/^I don't know "dance"\. My commands: roll, flip, pick\./);
  });

  it('a throwing handler gets a short answer and a log line; a hanging one is cut off; others keep working', async () => {
    ts = await start(db, { bots: { limits: { timeoutMs: 200 } }, more: { [FAULTY]: {} }, allowErrors: true });
    const alice = await member(ts!, 'alice');
    await say(alice, '!boom');
    expect((await alice.next(fromBot('faulty'))).text).toBe('alice: sorry, !boom failed.');
    expect(ts.errors.map((e) => e.message).join('\n')).toMatch(/bot faulty: !boom from alice failed: TypeError: cannot read properties of undefined/);
    expect(alice.lines.join('\n')).not.toMatch(/TypeError|at .*\.ts/);

    const t0 = Date.now();
    await say(alice, '!hang');
    // While it hangs the server and the other bots answer.
    await alice.ok('/ping', 'pong');
    await say(alice, '!flip');
    await alice.next(fromBot('dice', /flipped/));
    expect((await alice.next(fromBot('faulty', /hang/))).text).toBe('alice: sorry, !hang took too long.');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    expect(ts.sink.records.some((r) => r.level === 'warn' && /!hang from alice took longer than 200 ms/.test(r.message))).toBe(true);

    const mark = alice.events.length;
    await say(alice, '!spam');
    const spam = await botLines(alice, mark, 8);
    expect(spam).toHaveLength(8);
    expect(spam[7]).toBe('… (93 more lines cut)');
  });

  it('rate limits: a user past the limit hears "slow down" once, then silence; a bot cannot flood a channel', async () => {
    ts = await start(db, { bots: { limits: { userCommands: 3, userWindowSeconds: 60 } } });
    const alice = await member(ts!, 'alice');
    const bob = await member(ts!, 'bob');
    let mark = alice.events.length;
    for (let i = 0; i < 8; i++) await say(alice, '!flip');
    const answers = await botLines(alice, mark, 4);
    expect(answers.filter((t) => /flipped/.test(t))).toHaveLength(3);
    expect(answers.filter((t) => /slow down/.test(t))).toEqual(["alice: slow down — I'll answer you again in 60s."]);
    expect(answers).toHaveLength(4);
    await say(bob, '!flip');
    expect((await bob.next(fromBot('dice', /bob/))).text).toMatch(/^bob flipped/);
    await ts.stop();

    ts = await start(db, { bots: { limits: { botAnswers: 4, botWindowSeconds: 60 } } });
    const users = [await member(ts!, 'u1'), await member(ts!, 'u2'), await member(ts!, 'u3')];
    mark = users[0]!.events.length;
    for (const u of users) { await say(u, '!flip'); await say(u, '!flip'); }
    const seen = await botLines(users[0]!, mark, 5);
    expect(seen.filter((t) => /flipped/.test(t))).toHaveLength(4);
    expect(seen.filter((t) => /answering too much/.test(t))).toEqual(["I'm answering too much here; back in 60s."]);
    expect(seen).toHaveLength(5);
  });

  it('unloading the bots plugin takes its bots out of the channels; loading brings them back', async () => {
    ts = await start(db, { more: { admin: {} } });
    await ts.server.service('auth')!.createUser('boss', PASSWORD, 'admin');
    const boss = await ts.login('boss');
    await boss.next('history');
    const alice = await member(ts!, 'alice');
    await alice.ok('/join #dev', 'history');
    await boss.ok('/join #dev', 'history');
    await boss.ok('/channel invite #dev dice');
    await alice.next((e) => e.type === 'join' && e.channel === '#dev' && e.user === 'dice');

    // A reminder set before the unload is kept and delivered once, by the version loaded again.
    await alice.ok('/switch #general');
    await say(alice, '!remind 1s still here');
    await alice.next(fromBot('remind', /OK/));
    await boss.ok('/plugin unload bots');
    const parts = new Set<string>();
    while (parts.size < 5) {
      const p = await alice.next((e) => e.type === 'part');
      parts.add(`${p.channel} ${p.user}`);
    }
    expect([...parts].sort()).toEqual(['#dev dice', '#general dice', '#general poll', '#general remind', '#general seen']);
    expect((await alice.ok('/who #general', 'who')).users.filter((u: JsonEvent) => u.bot)).toEqual([]);
    await alice.ok('/switch #general');
    const mark = alice.events.length;
    await say(alice, '!roll');
    expect(await botLines(alice, mark)).toEqual([]);
    await alice.fails('/msg dice roll', 'NO_SUCH_USER');

    await boss.ok('/plugin load bots');
    const joins = new Set<string>();
    while (joins.size < 5) {
      const j = await alice.next((e) => e.type === 'join' && ['dice', 'seen', 'remind', 'poll'].includes(e.user));
      joins.add(`${j.channel} ${j.user}`);
    }
    expect([...joins].sort()).toEqual(['#dev dice', '#general dice', '#general poll', '#general remind', '#general seen']);
    await say(alice, '!roll d4');
    expect((await alice.next(fromBot('dice'))).text).toMatch(/^alice rolled 1d4: /);
    await alice.until(() => (alice.events.some(fromBot('remind', /reminder — still here/)) ? true : undefined), 'the reminder');
    await alice.sync();
    expect(alice.events.filter(fromBot('remind', /reminder — still here/))).toHaveLength(1);
  });
});
