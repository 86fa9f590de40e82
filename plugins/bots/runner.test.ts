import { describe, expect, it } from 'vitest';
import { Logger, type LogRecord } from '../../core/index.js';
import { BotRunner, tidyLines } from './runner.js';
import { BotError, type BotSpec } from './api.js';

/** A registry with a hand-moved clock and a log that is kept, and a bot with a few kinds of command. */
function setup(limits: Partial<BotRunner['limits']> = {}) {
  const records: LogRecord[] = [];
  const reg = new BotRunner();
  reg.log = new Logger({ write: (r) => records.push(r) }, 'debug', 'bots');
  let now = 1_000_000;
  reg.clock = { now: () => now };
  reg.configure({ timeoutMs: 50, ...limits });
  const spec: BotSpec = {
    name: 'Dice', description: 'Rolls dice.', commands: [
      { name: 'roll', usage: '!roll <dice>', summary: 'Roll dice.', minArgs: 1, run: (c) => `${c.from} rolled ${c.args.rest(0)}` },
      { name: 'boom', usage: '!boom', summary: 'Throws.', run: () => { throw new Error('kaboom'); } },
      { name: 'nope', usage: '!nope', summary: 'Refuses.', run: (c) => { throw new BotError(`usage: ${c.usage}`); } },
      { name: 'hang', usage: '!hang', summary: 'Never answers.', run: () => new Promise<string>(() => {}) },
      { name: 'many', usage: '!many', summary: 'Says a lot.', run: () => Array.from({ length: 50 }, (_, i) => `line ${i}\r\nmore\u0007`) },
    ],
  };
  reg.add(spec, 'test');
  return { reg, records, advance: (ms: number) => { now += ms; } };
}

describe('BotRunner', () => {
  it('answers a !command in a channel where the bot sits, ignores other lines', async () => {
    const { reg } = setup();
    expect(await reg.channelLine('alice', '#general', '!roll 2d6', ['dice'])).toEqual([{ bot: 'Dice', text: 'alice rolled 2d6' }]);
    expect(await reg.channelLine('alice', '#general', '!ROLL 1d4', ['Dice'])).toEqual([{ bot: 'Dice', text: 'alice rolled 1d4' }]);
    expect(await reg.channelLine('alice', '#general', 'roll 2d6', ['dice'])).toEqual([]);
    expect(await reg.channelLine('alice', '#general', '!roll 2d6', [])).toEqual([]);
    expect(await reg.channelLine('alice', '#general', '!unknown', ['dice'])).toEqual([]);
    expect(await reg.channelLine('alice', '#general', '!', ['dice'])).toEqual([]);
    // A bot never commands a bot (no loops).
    expect(await reg.channelLine('dice', '#general', '!roll 2d6', ['dice'])).toEqual([]);
  });

  it('answers the usage when arguments are missing, and a BotError as it is', async () => {
    const { reg } = setup();
    expect(await reg.channelLine('alice', '#general', '!roll', ['dice'])).toEqual([{ bot: 'Dice', text: 'alice: usage: !roll <dice>' }]);
    expect(await reg.channelLine('alice', '#general', '!nope', ['dice'])).toEqual([{ bot: 'Dice', text: 'alice: usage: !nope' }]);
    expect(await reg.directLine('alice', 'dice', 'nope')).toEqual([{ bot: 'Dice', text: 'usage: !nope' }]);
  });

  it('turns a throwing handler into a short answer and an error log line', async () => {
    const { reg, records } = setup();
    expect(await reg.channelLine('alice', '#general', '!boom', ['dice'])).toEqual([{ bot: 'Dice', text: 'alice: sorry, !boom failed.' }]);
    const err = records.find((r) => r.level === 'error');
    expect(err?.message).toMatch(/Dice: !boom from alice failed: .*kaboom/s);
  });

  it('cuts off a hanging handler at the time limit, and counts it until it ends', async () => {
    const { reg, records } = setup({ timeoutMs: 30, maxPending: 2 });
    const started = Date.now();
    expect(await reg.channelLine('alice', '#general', '!hang', ['dice'])).toEqual([{ bot: 'Dice', text: 'alice: sorry, !hang took too long.' }]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(records.some((r) => r.level === 'warn' && /took longer than 30 ms/.test(r.message))).toBe(true);
    expect(reg.running('Dice')).toBe(1);
    await reg.channelLine('bob', '#general', '!hang', ['dice']);
    expect(await reg.channelLine('carol', '#general', '!roll 1d6', ['dice'])).toEqual([{ bot: 'Dice', text: "carol: I'm busy; try again in a moment." }]);
  });

  it('keeps answers to bounded protocol lines', async () => {
    const { reg } = setup({ maxLines: 4, maxLineLength: 20 });
    const out = await reg.channelLine('alice', '#general', '!many', ['dice']);
    expect(out.map((r) => r.text)).toEqual(['line 0', 'more', 'line 1', '… (97 more lines cut)']);
    expect(tidyLines('x'.repeat(30), { maxLines: 3, maxLineLength: 10 })).toEqual([`${'x'.repeat(9)}…`]);
    expect(tidyLines(['a', 'b\nc'], { maxLines: 1, maxLineLength: 10 })).toEqual(['a']);
    expect(tidyLines([undefined, '', ' \t', 'ok'], { maxLines: 3, maxLineLength: 10 })).toEqual(['ok']);
  });

  it('says "slow down" once to a user past the limit, then nothing until the window has passed', async () => {
    const { reg, advance } = setup({ perUser: { count: 3, windowMs: 10_000 }, perBot: { count: 0, windowMs: 1 } });
    for (let i = 0; i < 3; i++) expect(await reg.channelLine('alice', '#general', '!roll 1d6', ['dice'])).toHaveLength(1);
    expect(await reg.channelLine('alice', '#general', '!roll 1d6', ['dice'])).toEqual([{ bot: 'Dice', text: "alice: slow down — I'll answer you again in 10s." }]);
    for (let i = 0; i < 5; i++) expect(await reg.channelLine('alice', '#general', '!roll 1d6', ['dice'])).toEqual([]);
    // Others are not affected.
    expect(await reg.channelLine('bob', '#general', '!roll 1d6', ['dice'])).toHaveLength(1);
    advance(10_001);
    expect(await reg.channelLine('alice', '#general', '!roll 1d6', ['dice'])).toEqual([{ bot: 'Dice', text: 'alice rolled 1d6' }]);
  });

  it('keeps one bot from flooding one channel, whoever asks', async () => {
    const { reg, advance } = setup({ perUser: { count: 0, windowMs: 1 }, perBot: { count: 2, windowMs: 5_000 } });
    expect(await reg.channelLine('u1', '#general', '!roll 1', ['dice'])).toHaveLength(1);
    expect(await reg.channelLine('u2', '#general', '!roll 1', ['dice'])).toHaveLength(1);
    expect(await reg.channelLine('u3', '#general', '!roll 1', ['dice'])).toEqual([{ bot: 'Dice', text: "I'm answering too much here; back in 5s." }]);
    expect(await reg.channelLine('u4', '#general', '!roll 1', ['dice'])).toEqual([]);
    // Another channel has its own budget.
    expect(await reg.channelLine('u4', '#other', '!roll 1', ['dice'])).toHaveLength(1);
    advance(5_000);
    expect(await reg.channelLine('u5', '#general', '!roll 1', ['dice'])).toHaveLength(1);
  });

  it('!help lists the commands of the bots present, !help <command> its usage', async () => {
    const { reg } = setup();
    reg.add({ name: 'echo', description: 'Repeats.', commands: [{ name: 'echo', usage: '!echo <text…>', summary: 'Say it back.', run: (c) => c.args.rest(0) }] }, 'other');
    const both = await reg.channelLine('alice', '#general', '!help', ['dice', 'echo']);
    expect(both).toHaveLength(2);
    expect(both[0]).toEqual({ bot: 'Dice', text: 'Dice — Rolls dice. Commands: !roll, !boom, !nope, !hang, !many.' });
    expect(both[1]!.text).toMatch(/^echo — Repeats\. Commands: !echo\. Say !help <command>/);
    expect(await reg.channelLine('alice', '#general', '!help', ['echo'])).toHaveLength(1);
    expect(await reg.channelLine('alice', '#general', '!help !echo', ['dice', 'echo'])).toEqual([{ bot: 'echo', text: '!echo <text…> — Say it back.' }]);
    expect((await reg.channelLine('alice', '#general', '!help flip', ['dice']))[0]!.text).toMatch(/no bot here knows !flip\. Commands here: !roll/);
  });

  it('in a DM: help, help <command>, commands with or without !, unknown commands', async () => {
    const { reg } = setup();
    const help = await reg.directLine('alice', 'DICE', 'help');
    expect(help[0]).toEqual({ bot: 'Dice', text: "I'm Dice: Rolls dice." });
    expect(help.map((r) => r.text)).toContain('!roll <dice> — Roll dice.');
    expect(await reg.directLine('alice', 'dice', 'help roll')).toEqual([{ bot: 'Dice', text: '!roll <dice> — Roll dice.' }]);
    expect(await reg.directLine('alice', 'dice', 'roll 3d4')).toEqual([{ bot: 'Dice', text: 'alice rolled 3d4' }]);
    expect(await reg.directLine('alice', 'dice', '!roll 3d4')).toEqual([{ bot: 'Dice', text: 'alice rolled 3d4' }]);
    expect((await reg.directLine('alice', 'dice', 'dance'))[0]!.text).toMatch(/^I don't know "dance"\. My commands: roll, boom/);
    expect(await reg.directLine('alice', 'nobody', 'help')).toEqual([]);
  });

  it('restores the limits a plugin set when it goes, also across a reload', () => {
    const reg = new BotRunner();
    const before = reg.limits.timeoutMs;
    const v1 = reg.configure({ timeoutMs: 1 });
    expect(reg.limits.timeoutMs).toBe(1);
    const v2 = reg.configure({ timeoutMs: 2 });
    v1();
    expect(reg.limits.timeoutMs).toBe(2);
    v2();
    expect(reg.limits.timeoutMs).toBe(before);
  });

  it('tells watchers a reloaded bot is still there, and removed only when the last version goes', () => {
    const reg = new BotRunner();
    const seen: string[] = [];
    reg.watch((change, bot) => seen.push(`${change} ${bot.name} ${bot.description}`));
    const v1 = reg.add({ name: 'hello', description: 'v1', commands: [] }, 'hello');
    const v2 = reg.add({ name: 'hello', description: 'v2', commands: [] }, 'hello');
    v1();
    v2();
    expect(seen).toEqual(['added hello v1', 'added hello v2', 'added hello v2', 'removed hello v2']);
  });
});
