import { describe, expect, it } from 'vitest';
import { InputHistory, LineEditor } from './input.js';
import { Completer, candidates } from './complete.js';
import { PassThrough } from 'node:stream';
import { clock, escapeTags, formatEntry, nameColor, safe, stripControls } from './format.js';
import blessed from 'blessed';

describe('input line editing', () => {
  type Op = (e: LineEditor) => void;
  it.each<[string, string, number, Op[], string, number]>([
    ['insert at the cursor', 'helo', 3, [(e) => e.insert('l')], 'hello', 4],
    ['backspace', 'hello', 5, [(e) => e.backspace()], 'hell', 4],
    ['backspace at the start does nothing', 'hi', 0, [(e) => e.backspace()], 'hi', 0],
    ['Ctrl-W deletes the previous word', 'say hello  ', 11, [(e) => e.killWord()], 'say ', 4],
    ['Ctrl-U deletes to the start', 'abc def', 4, [(e) => e.killBefore()], 'def', 0],
    ['Ctrl-K deletes to the end', 'abc def', 3, [(e) => e.killAfter()], 'abc', 3],
    ['a paste with newlines becomes one line', '', 0, [(e) => e.insert('a\nb\tc\u001b[31m')], 'a b c[31m', 9],
    ['home, end, left, right', 'abc', 1, [(e) => e.end(), (e) => e.left(), (e) => e.home(), (e) => e.right()], 'abc', 1],
    ['backspace removes a whole emoji', 'hi 🐱', 5, [(e) => e.backspace()], 'hi ', 3],
    ['left and right step over an emoji', 'a🐱b', 0, [(e) => e.right(), (e) => e.right()], 'a🐱b', 3],
    ['delete removes a whole emoji', 'a🐱b', 1, [(e) => e.del()], 'ab', 1],
    ['word left and right', 'one two three', 13, [(e) => e.wordLeft(), (e) => e.wordLeft(), (e) => e.wordRight()], 'one two three', 7],
  ])('%s', (_name, text, cursor, ops, want, wantCursor) => {
    const e = new LineEditor();
    e.set(text, cursor);
    for (const op of ops) op(e);
    expect([e.text, e.cursor]).toEqual([want, wantCursor]);
  });

  it('joins an emoji that arrives as two keypresses (blessed hands over UTF-16 halves)', () => {
    const e = new LineEditor();
    for (const half of '🙂 ok'.split('')) e.insert(half);
    expect(e.text).toBe('🙂 ok');
    e.insert('\udc00'); // a lone second half is dropped, not sent as U+FFFD
    expect(e.text).toBe('🙂 ok');
  });

  it('shows as much as fits in columns, wide characters counted as two', () => {
    const e = new LineEditor();
    e.set('漢字🙂abc');
    expect(e.view(6)).toEqual({ text: '🙂abc', cursor: 5 });
    e.home();
    expect(e.view(5)).toEqual({ text: '漢字', cursor: 0 });
  });

  it('is bounded', () => {
    const e = new LineEditor(10);
    e.insert('x'.repeat(50));
    expect(e.text.length).toBe(10);
  });

  it('scrolls horizontally to keep the cursor visible', () => {
    const e = new LineEditor();
    e.set('0123456789abcdef');
    expect(e.view(8)).toEqual({ text: '9abcdef', cursor: 7 });
    e.home();
    expect(e.view(8)).toEqual({ text: '01234567', cursor: 0 });
  });
});

describe('input history', () => {
  it('goes up and down and keeps what was being typed', () => {
    const h = new InputHistory();
    h.push('first');
    h.push('second');
    h.push('second');
    h.push('  ');
    expect(h.entries).toEqual(['first', 'second']);
    expect(h.up('draft')).toBe('second');
    expect(h.up('second')).toBe('first');
    expect(h.up('first')).toBeUndefined();
    expect(h.down()).toBe('second');
    expect(h.down()).toBe('draft');
    expect(h.down()).toBeUndefined();
  });
});

describe('tab completion', () => {
  const src = { commands: ['join', 'part', 'msg', 'me', 'channel'], names: ['bob', 'Bobby', 'carol'], channels: ['#general', '#dev'] };
  it.each([
    ['/jo', true, ['/join']],
    ['/m', true, ['/me', '/msg']],
    ['/m', false, []],
    ['#g', false, ['#general']],
    ['#', true, ['#dev', '#general']],
    ['bo', false, ['bob', 'Bobby']],
    ['BO', true, ['bob', 'Bobby']],
    ['x', false, []],
  ])('candidates(%j, first=%s)', (word, first, want) => {
    expect(candidates(word, first, src)).toEqual(want);
  });

  it('cycles through candidates, adds ": " after a name at the start of the line', () => {
    const c = new Completer();
    expect(c.complete('bo', 2, src)).toEqual({ text: 'bob: ', cursor: 5 });
    expect(c.complete('bob: ', 5, src)).toEqual({ text: 'Bobby: ', cursor: 7 });
    expect(c.complete('Bobby: ', 7, src)).toEqual({ text: 'bob: ', cursor: 5 });
    c.reset();
    expect(c.complete('/join #ge', 9, src)).toEqual({ text: '/join #general ', cursor: 15 });
    expect(c.complete('hi ca and', 5, src)).toEqual({ text: 'hi carol and', cursor: 8 });
    expect(c.complete('zz', 2, src)).toBeUndefined();
  });
});

describe('server text is painted inert', () => {
  it.each([
    ['escape sequences lose their ESC', 'a\u001b[2J\u001b]0;pwned\u0007b', 'a[2J]0;pwnedb'],
    ['blessed tags are escaped', '{red-fg}red{/red-fg}', '{open}red-fg{close}red{open}/red-fg{close}'],
    ['C1 controls and bidi overrides go', 'x\u009b31m\u202eevil', 'x31mevil'],
    ['line separators and bidi marks go', 'a\u2028b\u2029c\u200fd\u061ce', 'abcde'],
    ['newlines and carriage returns go, tabs become spaces', 'a\r\nb\tc', 'ab c'],
    ['plain text and unicode are unchanged', 'héllo 🐱 {}', 'héllo 🐱 {open}{close}'],
  ])('%s', (_name, input, want) => {
    expect(safe(input)).toBe(want);
  });

  it('escapes exactly as blessed.escape does', () => {
    for (const s of ['{', '}', '{bold}', 'a{b}c{{}}']) expect(escapeTags(s)).toBe(blessed.escape(s));
    expect(stripControls('\u0000\u0007ok')).toBe('ok');
  });

  it('colours every name with a tag blessed understands (never shown as literal text)', () => {
    // What blessed's tag parser does with a tag: dashes become spaces, then the program looks the attribute up.
    const program = blessed.program({ input: new PassThrough(), output: new PassThrough(), tput: false } as never) as unknown as { _attr(p: string): string | null; destroy(): void };
    const colours = new Set(Array.from({ length: 200 }, (_, i) => nameColor(`user${i}`)));
    expect(colours.size).toBeGreaterThan(6);
    for (const colour of colours) expect(program._attr(`${colour}-fg`.replace(/-/g, ' ')), colour).not.toBeNull();
    program.destroy();
  });

  it('formats messages, actions, bots, mentions and information lines', () => {
    const ts = new Date(2026, 10, 25, 9, 5).toISOString();
    const today = new Date(2026, 10, 25, 18, 0);
    const base = { kind: 'message' as const, id: '1', ts, from: 'bob', text: 'hi {there}', action: false, bot: false, self: false, mention: false, offline: false };
    const c = nameColor('bob');
    expect(formatEntry(base, today)).toBe(`{gray-fg}09:05{/gray-fg} <{${c}-fg}bob{/${c}-fg}> hi {open}there{close}`);
    expect(formatEntry({ ...base, action: true, text: 'waves' }, today)).toBe(`{gray-fg}09:05{/gray-fg} {magenta-fg}*{/magenta-fg} {${c}-fg}bob{/${c}-fg} waves`);
    expect(formatEntry({ ...base, bot: true }, today)).toContain('{cyan-fg}[bot]{/cyan-fg}');
    expect(formatEntry({ ...base, mention: true }, today)).toContain('{yellow-fg}{bold}hi');
    expect(formatEntry({ kind: 'info', ts, text: 'E: {x}', level: 'error' }, today)).toBe('{gray-fg}09:05{/gray-fg} {red-fg}!! E: {open}x{close}{/red-fg}');
    expect(clock(ts, new Date(2026, 10, 26))).toBe('11-25 09:05');
    expect(nameColor('Bob')).toBe(nameColor('bob'));
  });
});
