import { describe, expect, it } from 'vitest';
import { wrapCells } from './wrap.js';

const P = '\x03'; // blessed's placeholder cell after a wide character
const R = '\x1b[31m';
const E = '\x1b[39m';

describe('wrapping in terminal cells', () => {
  it.each<[string, string, number, string[]]>([
    ['fits', 'hello', 10, ['hello']],
    ['at a space', 'hello big world', 10, ['hello big ', 'world']],
    ['a word longer than the row', 'abcdefghijkl', 5, ['abcde', 'fghij', 'kl']],
    ['emoji: two cells each, never split from the placeholder', `🙂${P}🙂${P}🙂${P}`, 5, [`🙂${P}🙂${P}`, `🙂${P}`]],
    ['a full row of emoji', `ab 🙂${P}🙂${P}🙂${P}🙂${P}x`, 11, [`ab 🙂${P}🙂${P}🙂${P}🙂${P}`, 'x']],
    ['a combining mark takes no cell', 'e\u0301e\u0301e\u0301', 3, ['e\u0301e\u0301e\u0301']],
    ['escape codes take no cell', `${R}abc${E} de`, 6, [`${R}abc${E} de`]],
    ['escape codes at the end stay on the row', `abcde${E}`, 5, [`abcde${E}`]],
  ])('%s', (_name, line, width, rows) => {
    expect(wrapCells(line, width)).toEqual(rows);
  });
});
