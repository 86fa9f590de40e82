import { describe, expect, it } from 'vitest';
import { escapeTag, fitLine, ircLine, MAX_LINE, parseIrc, splitUtf8 } from './message.js';

describe('parseIrc', () => {
  it.each([
    ['NICK alice', { tags: {}, prefix: '', command: 'NICK', params: ['alice'] }],
    ['privmsg #a :hello there', { tags: {}, prefix: '', command: 'PRIVMSG', params: ['#a', 'hello there'] }],
    [':bob!b@h PRIVMSG #a ::)', { tags: {}, prefix: 'bob!b@h', command: 'PRIVMSG', params: ['#a', ':)'] }],
    ['@label=x;+draft/reply=1 PING :t', { tags: { label: 'x', '+draft/reply': '1' }, prefix: '', command: 'PING', params: ['t'] }],
    ['@a=b\\sc\\:d\\\\e;flag CAP LS 302', { tags: { a: 'b c;d\\e', flag: '' }, prefix: '', command: 'CAP', params: ['LS', '302'] }],
    ['USER u 0 *   :Real Name', { tags: {}, prefix: '', command: 'USER', params: ['u', '0', '*', 'Real Name'] }],
    ['TOPIC #a :', { tags: {}, prefix: '', command: 'TOPIC', params: ['#a', ''] }],
    ['CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16', { tags: {}, prefix: '', command: 'CMD', params: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15 16'] }],
  ])('%s', (line, parsed) => {
    expect(parseIrc(line)).toEqual(parsed);
  });

  it.each(['', '   ', '@tags-only', ':prefix-only', '@t :p'])('%j has no command', (line) => {
    expect(parseIrc(line)).toBeUndefined();
  });
});

describe('ircLine', () => {
  it.each([
    [['', 'PING', ['x']], 'PING x'],
    [['srv', '001', ['al', 'Welcome here']], ':srv 001 al :Welcome here'],
    [['a!a@h', 'PRIVMSG', ['#c', ':)']], ':a!a@h PRIVMSG #c ::)'],
    [['srv', '331', ['al', '#c', '']], ':srv 331 al #c :'],
  ] as const)('%j', ([prefix, command, params], line) => {
    expect(ircLine(prefix, command, params)).toBe(line);
    expect(parseIrc(line)).toMatchObject({ command, params });
  });

  it('puts escaped tags first', () => {
    expect(ircLine('s', 'X', ['y'], `msgid=${escapeTag('a b;c')}`)).toBe('@msgid=a\\sb\\:c :s X y');
    expect(parseIrc(ircLine('s', 'X', ['y'], `k=${escapeTag('a b;c\\')}`))!.tags.k).toBe('a b;c\\');
  });
});

const bytes = (s: string) => Buffer.byteLength(s);
/** The part of a line IRC's 512 bytes bound: all but the tags, with CR LF. */
const bounded = (line: string) => bytes(line.replace(/^@\S+ /, '')) + 2;

describe('splitUtf8', () => {
  it.each([
    ['short', 10, ['short']],
    ['hello world again', 12, ['hello world ', 'again']],
    ['abcdefghij', 4, ['abcd', 'efgh', 'ij']],
    ['héllo', 4, ['hél', 'lo']],
    ['ééé', 5, ['éé', 'é']],
    ['a 😀😀', 6, ['a ', '😀', '😀']],
    ['日本語テキスト', 7, ['日本', '語テ', 'キス', 'ト']],
    ['one  two', 5, ['one  ', 'two']],
  ])('%j in pieces of %i bytes', (text, max, pieces) => {
    expect(splitUtf8(text, max)).toEqual(pieces);
  });

  it.each([
    ['words', 'lorem ipsum dolor sit amet '.repeat(160)],
    ['no spaces', 'x'.repeat(4096)],
    ['multibyte', 'é日😀 '.repeat(400)],
  ])('loses and repeats nothing, and keeps every piece within the bound (%s)', (_name, text) => {
    for (const max of [50, 123, 400]) {
      const pieces = splitUtf8(text, max);
      expect(pieces.join('')).toBe(text);
      for (const p of pieces) expect(bytes(p)).toBeLessThanOrEqual(max);
      expect(pieces.every((p) => !p.includes('\ufffd'))).toBe(true);
    }
  });
});

describe('fitLine', () => {
  const long = 'word '.repeat(300).trim() + ' end';
  it('leaves a line within 512 bytes as it is', () => {
    const line = ircLine('a!a@h', 'PRIVMSG', ['#c', 'x'.repeat(300)], 'time=t;msgid=m1');
    expect(fitLine(line)).toEqual([line]);
  });

  it('cuts a long PRIVMSG into several, at spaces, the msgid on the first only', () => {
    const lines = fitLine(ircLine('alice!alice@whiskr', 'PRIVMSG', ['#chan', long], 'time=t;msgid=m1;account=alice'));
    expect(lines.length).toBe(4);
    const parsed = lines.map((l) => parseIrc(l)!);
    expect(parsed.map((m) => m.params[1]).join('')).toBe(long);
    expect(parsed[0]!.tags).toEqual({ time: 't', msgid: 'm1', account: 'alice' });
    for (const m of parsed.slice(1)) expect(m.tags).toEqual({ time: 't', account: 'alice' });
    for (const m of parsed) expect(m).toMatchObject({ prefix: 'alice!alice@whiskr', command: 'PRIVMSG' });
    for (const l of lines) expect(bounded(l)).toBeLessThanOrEqual(MAX_LINE);
    for (const m of parsed.slice(0, -1)) expect(m.params[1]).toMatch(/ $/);
  });

  it('keeps each piece of an action an action', () => {
    const lines = fitLine(ircLine('a!a@h', 'PRIVMSG', ['#c', `\u0001ACTION ${long}\u0001`]));
    expect(lines.length).toBeGreaterThan(1);
    const texts = lines.map((l) => parseIrc(l)!.params[1]!);
    for (const t of texts) expect(t).toMatch(/^\u0001ACTION .*\u0001$/s);
    expect(texts.map((t) => t.slice(8, -1)).join('')).toBe(long);
    for (const l of lines) expect(bounded(l)).toBeLessThanOrEqual(MAX_LINE);
  });

  it('keeps room for the receiver\'s nick in a numeric or notice, and shortens other commands', () => {
    const notice = fitLine(ircLine('srv', 'NOTICE', ['\u0000', long]));
    for (const l of notice) expect(bounded(l.replace('\u0000', 'n'.repeat(32)))).toBeLessThanOrEqual(MAX_LINE);
    expect(notice.map((l) => parseIrc(l)!.params[1]).join('')).toBe(long);
    const topic = fitLine(ircLine('a!a@h', 'TOPIC', ['#c', 'é'.repeat(390)]));
    expect(topic).toHaveLength(1);
    expect(bounded(topic[0]!)).toBeLessThanOrEqual(MAX_LINE);
    expect(parseIrc(topic[0]!)!.params[1]).toMatch(/^é+$/);
  });

  it('cuts a NAMES reply between names, none lost', () => {
    const names = Array.from({ length: 100 }, (_, n) => `member-with-a-long-name-${n}`);
    const lines = fitLine(ircLine('srv', '353', ['\u0000', '=', '#c', names.join(' ')]));
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) expect(bounded(l.replace('\u0000', 'n'.repeat(32)))).toBeLessThanOrEqual(MAX_LINE);
    expect(lines.flatMap((l) => parseIrc(l)!.params[3]!.split(' '))).toEqual(names);
  });
});
