import { describe, expect, it } from 'vitest';
import type { ChatMessage } from './events.js';
import { fitToBytes } from './paging.js';

const msg = (i: number, text: string): ChatMessage => ({ id: `m${i}`, from: 'a', channel: '#c', text, ts: '2026-12-01T00:00:00.000Z', kind: 'message' });
const plain = Array.from({ length: 10 }, (_, i) => msg(i, 'x'.repeat(100)));
const escaped = Array.from({ length: 10 }, (_, i) => msg(i, '\u0001'.repeat(100)));
const ids = (r: { messages: ChatMessage[] }) => r.messages.map((m) => m.id);

describe('fitToBytes', () => {
  it.each([
    ['everything when it fits', plain, 'json', 100_000, 'newest', ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'], false],
    // 197 bytes a message in JSON.
    ['the newest when paging back', plain, 'json', 600, 'newest', ['m7', 'm8', 'm9'], true],
    ['the oldest when paging forward', plain, 'json', 600, 'oldest', ['m0', 'm1', 'm2'], true],
    // 697 bytes in JSON (\u0001 is six bytes), 227 in text (^A is two).
    ['fewer of what JSON escapes six-fold', escaped, 'json', 1_400, 'newest', ['m8', 'm9'], true],
    ['more of the same in text', escaped, 'text', 1_400, 'newest', ['m4', 'm5', 'm6', 'm7', 'm8', 'm9'], true],
    ['at least one, however large', escaped, 'json', 10, 'newest', ['m9'], true],
    ['nothing from nothing', [], 'json', 10, 'newest', [], false],
  ] as const)('keeps %s', (_what, messages, format, budget, keep, expected, cut) => {
    const r = fitToBytes([...messages], format, budget, keep);
    expect(ids(r)).toEqual(expected);
    expect(r.cut).toBe(cut);
  });
});
