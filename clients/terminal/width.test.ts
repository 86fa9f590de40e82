import { describe, expect, it } from 'vitest';
import { charWidth, sliceColumns, stringWidth, WIDE_CHAR } from './width.js';

describe('terminal widths', () => {
  it.each<[string, string, number]>([
    ['ASCII', 'abc', 3],
    ['Latin with accents', 'héllo wörld', 11],
    ['a combining accent', 'e\u0301', 1],
    ['Han', '漢字', 4],
    ['Hangul', '한국어', 6],
    ['fullwidth forms', 'ＡＢ', 4],
    ['an emoji outside the BMP', '🙂', 2],
    ['an emoji inside the BMP with emoji presentation', '⌚', 2],
    ['a text-presentation symbol', '☺', 1],
    ['a heart with VS16 (tmux draws one column)', '\u2764\ufe0f', 1],
    ['a skin tone modifier is its own emoji', '👍🏽', 4],
    ['the parts of a ZWJ sequence (the joiner is zero)', '👩\u200d💻', 4],
    ['regional indicators', '🇫🇷', 2],
    ['zero-width space and BOM', '\u200b\ufeff', 0],
    ['mixed', '😀 漢字 x', 9],
  ])('%s', (_name, text, width) => {
    expect(stringWidth(text)).toBe(width);
  });

  it('gives a control character no width', () => {
    expect(charWidth(0x1b)).toBe(0);
  });

  it('cuts to a number of columns without splitting a wide character', () => {
    expect(sliceColumns('a漢b', 2)).toBe('a');
    expect(sliceColumns('🙂🙂🙂', 5)).toBe('🙂🙂');
    expect(sliceColumns('abc', 10)).toBe('abc');
  });

  it('finds every wide character for the renderer', () => {
    expect('a🙂漢⌚☺🇫b'.match(WIDE_CHAR)).toEqual(['🙂', '漢', '⌚']);
  });
});
