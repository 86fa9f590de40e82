import { describe, expect, it } from 'vitest';
import { clip, plural } from './text.js';

describe('text helpers', () => {
  it.each([[0, '0 sessions'], [1, '1 session'], [2, '2 sessions']])('plural(%i, "session") is %s', (n, expected) => {
    expect(plural(n, 'session')).toBe(expected);
  });

  it.each([
    ['short', 10, 'short'],
    ['exactly10!', 10, 'exactly10!'],
    ['a longer text', 6, 'a lon…'],
    ['🐱🐱🐱🐱', 3, '🐱🐱…'], // code points, never half a surrogate pair
  ])('clip(%j, %i) is %j', (text, n, expected) => {
    expect(clip(text, n)).toBe(expected);
  });
});
