import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds, ManualClock, TestServer } from '../../core/testing/index.js';

/**
 * The bots plugin on its own (no channels plugin), its bots called through the runner as the channels
 * plugin calls them: the stored parts (polls, reminders) on SQLite and MySQL. The TCP tests in
 * bots.test.ts cover the same commands as users see them.
 */
let ts: TestServer | undefined;
afterEach(async () => { await ts?.stop(); ts = undefined; });

const noLimits = { limits: { userCommands: 0, botAnswers: 0 } };
const say = (from: string, text: string, channel = '#general') =>
  ts!.server.plugins.service('bots')!.channelLine(from, channel, text, ['dice', 'seen', 'remind', 'poll']).then((r) => r.map((x) => `<${x.bot}> ${x.text}`));
const dm = (from: string, bot: string, text: string) => ts!.server.plugins.service('bots')!.directLine(from, bot, text).then((r) => r.map((x) => x.text));

describe.each(databaseKinds())('bots, called directly (%s)', (db) => {
  it('runs a poll: one open per channel, one vote per person, results, close by the creator', async () => {
    ts = await TestServer.start({ db, plugins: { bots: noLimits } });
    expect(await say('alice', '!poll')).toEqual(['<poll> There is no open poll here. Start one: !poll <question> | <option> | <option>']);
    expect(await say('alice', '!poll Lunch? | Pizza | Sushi | Tacos')).toEqual(['<poll> alice opened poll #1: Lunch? — 1) Pizza  2) Sushi  3) Tacos — vote with !vote <number>']);
    expect((await say('bob', '!poll Other? | a | b'))[0]).toMatch(/bob: there is already an open poll here \(#1 by alice: Lunch\?\)/);
    expect(await say('bob', '!vote 2')).toEqual(['<poll> bob: vote counted — Sushi (poll #1).']);
    expect(await say('bob', '!vote pizza')).toEqual(['<poll> bob: vote changed from Sushi — Pizza (poll #1).']);
    expect(await say('BOB', '!vote piz')).toEqual(['<poll> BOB: you already voted for Pizza.']);
    expect(await say('carol', '!vote Ta')).toEqual(['<poll> carol: vote counted — Tacos (poll #1).']);
    expect((await say('dave', '!vote 4'))[0]).toMatch(/"4" is not an option of poll #1: give a number from 1 to 3/);
    expect(await say('dave', '!vote 1')).toHaveLength(1);
    expect(await say('erin', '!poll results')).toEqual(['<poll> Poll #1 (open): Lunch? — Pizza 2 (67%), Sushi 0 (0%), Tacos 1 (33%) — 3 votes.']);
    expect((await say('bob', '!poll close'))[0]).toMatch(/only alice \(who opened it\) or an admin can close poll #1/);
    expect(await say('alice', '!poll close')).toEqual(['<poll> Poll #1 (closed by alice): Lunch? — Pizza 2 (67%), Sushi 0 (0%), Tacos 1 (33%) — 3 votes. Winner: Pizza.']);
    expect((await say('bob', '!vote 1'))[0]).toMatch(/there is no open poll here/);
    // Another channel has its own polls; results of an earlier poll stay readable where it ran, not elsewhere.
    expect((await say('bob', '!poll Tabs or spaces? | tabs | spaces', '#dev'))[0]).toMatch(/opened poll #\d+/);
    expect((await say('bob', '!poll results 1', '#dev'))[0]).toMatch(/there is no poll 1 in this channel/);
    expect((await say('bob', '!poll results #1'))[0]).toMatch(/Winner: Pizza/);
    expect(await dm('bob', 'poll', 'poll Lunch? | a | b')).toEqual(['polls live in channels: ask me there.']);
  });

  it('refuses polls that make no sense, with the reason', async () => {
    ts = await TestServer.start({ db, plugins: { bots: noLimits } });
    expect((await say('a1', '!poll Lunch? | pizza'))[0]).toMatch(/at least two options/);
    expect((await say('a1', '!poll | a | b'))[0]).toMatch(/what is the question/);
    expect((await say('a1', '!poll Q | a | A'))[0]).toMatch(/"a" is there twice/);
    expect((await say('a1', `!poll Q | ${Array.from({ length: 11 }, (_, i) => `o${i}`).join(' | ')}`))[0]).toMatch(/at most 10 options/);
    expect((await say('a1', `!poll Q | ${'x'.repeat(81)} | b`))[0]).toMatch(/too long/);
    expect((await say('a1', '!poll what'))[0]).toMatch(/separate the question and the options with \|/);
  });

  // On the injected clock at fixed times: a reminder that falls on another day (or month, or year) names its date.
  it.each([
    ['midday', '2026-11-25T12:00:00Z', '14:00 UTC', '13:30 UTC'],
    ['just before midnight', '2026-12-01T23:30:00Z', '2026-12-02 01:30 UTC', '2026-12-02 01:00 UTC'],
    ['at the end of February', '2026-02-28T23:15:00Z', '2026-03-01 01:15 UTC', '2026-03-01 00:45 UTC'],
    ['at the end of the year', '2026-12-31T23:00:00Z', '2027-01-01 01:00 UTC', '2027-01-01 00:30 UTC'],
  ])('keeps reminders: set, list (here or all in a DM), cancel only your own, limits (%s)', async (_, now, in2h, in90m) => {
    ts = await TestServer.start({ db, clock: ManualClock.at(now), plugins: { bots: { ...noLimits, remind: { maxPerUser: 3, maxDays: 2 } } } });
    expect(await say('alice', '!remind 2h stand up')).toEqual([`<remind> alice: OK, I'll remind you here in 2h, at ${in2h} (#1).`]);
    expect(await dm('alice', 'remind', 'remind 1h30m water the plants')).toEqual([`OK, I'll remind you in a DM in 1h 30m, at ${in90m} (#2).`]);
    expect(await say('alice', '!remind list', '#dev')).toEqual(['<remind> alice: you have no reminders waiting from this channel.']);
    expect(await say('alice', '!remind list')).toEqual(['<remind> alice: your reminders from this channel:', `<remind> #1 in 2h, at ${in2h}: stand up`]);
    const all = await dm('alice', 'remind', 'remind list');
    expect(all.slice(1)).toEqual([`#2 in 1h 30m, at ${in90m}: water the plants`, `#1 in 2h, at ${in2h} in #general: stand up`]);
    expect((await say('bob', '!remind cancel 1'))[0]).toMatch(/you have no reminder #1/);
    expect((await say('alice', '!remind cancel #1'))[0]).toBe('<remind> Cancelled reminder #1: stand up');
    expect((await say('alice', '!remind 3d too far'))[0]).toMatch(/at most 2 days/);
    expect((await say('alice', '!remind tomorrow x'))[0]).toMatch(/"tomorrow" is not a time/);
    expect((await say('alice', '!remind 10m'))[0]).toMatch(/what should I remind you of/);
    expect((await say('alice', `!remind 10m ${'x'.repeat(401)}`))[0]).toMatch(/too long/);
    await say('alice', '!remind 10m one');
    await say('alice', '!remind 10m two');
    expect((await say('alice', '!remind 10m three'))[0]).toMatch(/you have 3 reminders waiting already/);
    // They are stored: a restart keeps them.
    ts = await ts.restart();
    expect(await dm('alice', 'remind', 'remind list')).toHaveLength(4);
  });

  it('rolls dice with a label, explains bad dice, flips and picks', async () => {
    ts = await TestServer.start({ db, plugins: { bots: noLimits } });
    expect((await say('alice', '!roll 2d6+1 attack'))[0]).toMatch(/^<dice> alice rolled 2d6\+1 \(attack\): \[[1-6], [1-6]\] \+ 1 = \d+$/);
    expect((await say('alice', '!roll'))[0]).toMatch(/^<dice> alice rolled 1d6: \[[1-6]\] = [1-6]$/);
    expect((await say('alice', '!roll initiative'))[0]).toMatch(/^<dice> alice rolled 1d6 \(initiative\)/);
    expect((await say('alice', '!roll 2d6 + 3'))[0]).toMatch(/rolled 2d6\+3: /);
    expect((await say('alice', '!roll 1000d6'))[0]).toMatch(/^<dice> alice: that's 1000 dice; at most 100 at once\. Usage: !roll/);
    expect((await say('alice', '!roll 2x6'))[0]).toMatch(/can't read "2x6" as dice/);
    expect((await say('alice', '!flip'))[0]).toMatch(/^<dice> alice flipped a coin: (heads|tails)$/);
    expect((await say('alice', '!pick tea, coffee, hot water'))[0]).toMatch(/^<dice> alice: I pick (tea|coffee|hot water)$/);
    expect((await say('alice', '!pick tea'))[0]).toMatch(/at least two choices/);
  });

  it('!seen without the other plugins says what it can', async () => {
    ts = await TestServer.start({ db, plugins: { bots: noLimits } });
    expect(await say('alice', '!seen bob')).toEqual(["<seen> I haven't seen bob."]);
    expect(await say('alice', '!seen alice')).toEqual(["<seen> alice: that's you — here now."]);
    expect(await say('alice', '!seen dice')).toEqual(['<seen> dice is a bot; it is here whenever its plugin is loaded.']);
    expect((await say('alice', '!seen #general'))[0]).toMatch(/is not a user name/);
  });
});

describe('bots plugin config', () => {
  it.each([
    [{ channels: ['general'] }, /plugins.bots.channels: "general" is not a channel name/],
    [{ enabled: ['dice', 'weather'] }, /unknown bot "weather"/],
    [{ names: { dice: 'x' } }, /names.dice: "x" is not a valid name/],
    [{ names: { seen: 'dice' } }, /dice is used twice/],
    [{ remind: { timeZone: 'Mars/Olympus' } }, /unknown time zone "Mars\/Olympus"/],
    [{ limits: { timeoutMs: -1 } }, /limits.timeoutMs must be a number/],
  ])('refuses %j', async (bots, error) => {
    ts = await TestServer.start({ plugins: { bots }, allowErrors: true });
    expect(ts.server.plugins.get('bots')).toMatchObject({ status: 'failed', error: expect.stringMatching(error) });
  });

  it('renames bots and runs only those enabled', async () => {
    ts = await TestServer.start({ plugins: { bots: { enabled: ['dice'], names: { dice: 'Dicey' } } } });
    expect(ts.server.plugins.service('bots')!.all().map((b) => [b.name, b.channels])).toEqual([['Dicey', ['#general']]]);
  });
});
