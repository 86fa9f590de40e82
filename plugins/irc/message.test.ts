import { describe, expect, it } from 'vitest';
import { escapeTag, ircLine, parseIrc } from './message.js';

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
