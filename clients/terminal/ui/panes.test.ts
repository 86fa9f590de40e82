import { describe, expect, it } from 'vitest';
import type { Entry } from '../conversation.js';
import { LineEditor } from '../input.js';
import { withColours } from './colours.js';
import { fieldText, fit, listWindow, memberLines, messageWindow, pageMove, sidebarLines } from './panes.js';

const info = (text: string): Entry => ({ kind: 'info', ts: '2026-11-25T12:00:00.000Z', text, level: 'info' });
const lines = (n: number) => Array.from({ length: n }, (_, i) => info(`line ${i}`));

describe('panes', () => {
  it('lists conversations by section with unread counts, mentions and the current one', () => {
    const rows = sidebarLines([
      { key: '*status', name: 'status', kind: 'status', unread: 0, mentions: 0, current: false, joined: true },
      { key: '#dev', name: '#dev', kind: 'channel', unread: 3, mentions: 1, current: false, joined: true },
      { key: '#general', name: '#general', kind: 'channel', unread: 0, mentions: 0, current: true, joined: true },
      { key: '#old', name: '#old', kind: 'channel', unread: 0, mentions: 0, current: false, joined: false },
      { key: 'bob', name: 'bob{x}', kind: 'dm', unread: 2, mentions: 2, current: false, joined: true },
    ], 14);
    expect(rows.map((r) => r.key)).toEqual(['*status', undefined, '#dev', '#general', '#old', undefined, 'bob']);
    expect(rows.map((r) => r.line)).toEqual([
      ' status',
      '{gray-fg}channels{/gray-fg}',
      '{yellow-fg}{bold} #dev !3{/bold}{/yellow-fg}',
      '{inverse} #general     {/inverse}',
      '{gray-fg} #old{/gray-fg}',
      '{gray-fg}direct{/gray-fg}',
      '{yellow-fg}{bold} bob{open}x{close} !2{/bold}{/yellow-fg}',
    ]);
  });

  it('marks presence, admins and bots in the member list, cut to width', () => {
    expect(memberLines([
      { name: 'alice', status: 'online', bot: false, admin: true },
      { name: 'bob', status: 'away', bot: false, admin: false },
      { name: 'averyveryverylongname', status: 'online', bot: true, admin: false },
    ], 14, 1)).toEqual([
      '{green-fg}+{/green-fg} @alice',
      '{inverse}{yellow-fg}~{/yellow-fg} bob{/inverse}',
      '{green-fg}+{/green-fg} averyve…{cyan-fg} bot{/cyan-fg}',
    ]);
  });

  it.each([
    ['the newest entries fill the pane', 100, 99, { from: 90, to: 100, atTop: false }],
    ['a short conversation shows from the top', 4, 3, { from: 0, to: 4, atTop: true }],
    ['scrolled up: the pane ends at the anchor', 100, 50, { from: 41, to: 51, atTop: false }],
  ])('%s', (_name, n, bottom, want) => {
    expect(messageWindow(lines(n), bottom, 60, 10)).toEqual(want);
  });

  it('pages up and down, and back to following the newest', () => {
    const entries = lines(100);
    const up = pageMove(entries, 99, 60, 10, -1);
    expect(up).toBe(91);
    expect(pageMove(entries, 5, 60, 10, -1)).toBe(0);
    expect(pageMove(entries, up!, 60, 10, 1)).toBeUndefined();
    expect(pageMove(entries, 50, 60, 10, 1)).toBe(58);
  });

  it('shows a field with its cursor, masked for a password', () => {
    const e = new LineEditor();
    e.set('se{c}', 2);
    expect(fieldText(e, 20, true)).toBe('se{inverse}{open}{/inverse}c{close}');
    expect(fieldText(e, 20, true, true)).toBe('**{inverse}*{/inverse}**');
    expect(fieldText(e, 20, false, true)).toBe('*****');
    expect(fit('abcdef', 4)).toBe('abc…');
    e.set('a🐱b', 1);
    expect(fieldText(e, 20, true)).toBe('a{inverse}🐱{/inverse}b');
  });

  it.each([
    ['everything fits', 5, 10, 0, { start: 0, end: 5, more: 0 }],
    ['too many: the last row says how many more', 30, 10, 0, { start: 0, end: 9, more: 21 }],
    ['the focus stays visible', 30, 10, 15, { start: 7, end: 16, more: 21 }],
    ['at the end', 30, 10, 29, { start: 21, end: 30, more: 21 }],
  ])('listWindow: %s', (_name, length, height, focus, want) => {
    expect(listWindow(length, height, focus)).toEqual(want);
  });
});

describe('colours the terminal has', () => {
  it.each<[string, number, string]>([
    ['grey kept with 16 colours or more', 256, '{gray-fg}12:00{/gray-fg} hi'],
    ['grey dropped on 8 colours (blessed would draw it black)', 8, '12:00 hi'],
  ])('%s', (_name, colours, want) => {
    expect(withColours('{gray-fg}12:00{/gray-fg} hi', colours)).toBe(want);
  });
});

describe('input fields with emoji', () => {
  it('shows a ZWJ sequence as its parts, as wide as it is measured', () => {
    const e = new LineEditor();
    e.set('👩\u200d💻');
    expect(fieldText(e, 20, false)).toBe('👩\u200b💻');
  });
});
