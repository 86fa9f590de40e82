import { describe, expect, it } from 'vitest';
import { isValidUserName, parseDuration, parseLine } from './parse.js';

describe('parseLine', () => {
  it.each([
    ['', { kind: 'blank' }],
    ['   ', { kind: 'blank' }],
    ['hello there', { kind: 'text', text: 'hello there' }],
    ['//me is not a command', { kind: 'text', text: '/me is not a command' }],
    [' /leading space is text', { kind: 'text', text: ' /leading space is text' }],
  ])('%j', (line, expected) => {
    expect(parseLine(line)).toEqual(expected);
  });

  it.each([
    ['/PING', 'ping', [], ''],
    ['/msg bob hello  there ', 'msg', ['bob', 'hello', 'there'], 'hello  there '],
    ['/join   #general', 'join', ['#general'], ''],
    ['/', '', [], ''],
  ])('command %j', (line, name, args, restFrom1) => {
    const p = parseLine(line);
    if (p.kind !== 'command') throw new Error('not a command');
    expect(p.name).toBe(name);
    expect(p.args.list).toEqual(args);
    expect(p.args.rest(1)).toBe(restFrom1);
  });
});

describe('names and durations', () => {
  it.each([
    ['al', true], ['a', false], ['alice_1.x-y', true], ['x'.repeat(32), true], ['x'.repeat(33), false],
    ['bad name', false], ['émile', false], ['#chan', false], ["o'brien", false],
  ])('user %j → %s', (name, ok) => expect(isValidUserName(name)).toBe(ok));

  it.each([
    ['30s', 30_000], ['10m', 600_000], ['2h', 7_200_000], ['7d', 604_800_000], ['1W', 604_800_000],
    ['10', undefined], ['m', undefined], ['-1s', undefined], ['1.5h', undefined],
  ])('duration %j → %s', (text, ms) => expect(parseDuration(text)).toBe(ms));
});
