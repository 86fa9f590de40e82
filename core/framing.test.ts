import { describe, expect, it } from 'vitest';
import { LineDecoder, type Frame } from './framing.js';

const lines = (frames: Frame[]) => frames.map((f) => (f.kind === 'line' ? f.line : `!${f.code}`));

function feed(max: number, ...chunks: (string | Buffer)[]): string[] {
  const d = new LineDecoder(max);
  return chunks.flatMap((c) => lines(d.push(typeof c === 'string' ? Buffer.from(c) : c)));
}

describe('LineDecoder', () => {
  it.each([
    ['one line', ['hello\n'], ['hello']],
    ['CRLF drops the CR', ['hello\r\n'], ['hello']],
    ['a lone CR inside stays', ['a\rb\n'], ['a\rb']],
    ['pipelined lines in one chunk', ['a\nb\nc\n'], ['a', 'b', 'c']],
    ['a line split across chunks', ['he', 'l', 'lo\nwor', 'ld\n'], ['hello', 'world']],
    ['CR and LF in different chunks', ['hi\r', '\n'], ['hi']],
    ['an unfinished line is held', ['partial'], []],
    ['empty lines are frames too', ['\n\n'], ['', '']],
  ])('%s', (_name, chunks, expected) => {
    expect(feed(16, ...chunks)).toEqual(expected);
  });

  it.each([
    ['exactly the limit', 'x'.repeat(8), ['x'.repeat(8)]],
    ['exactly the limit with CRLF', 'x'.repeat(8) + '\r', ['x'.repeat(8)]],
    ['one byte over', 'x'.repeat(9), ['!LINE_TOO_LONG']],
    ['far over', 'x'.repeat(100), ['!LINE_TOO_LONG']],
  ])('limit: %s', (_name, line, expected) => {
    expect(feed(8, line + '\nok\n')).toEqual([...expected, 'ok']);
  });

  it('reports an over-long line once and discards it up to the next LF, across chunks', () => {
    const d = new LineDecoder(8);
    const out = [...d.push(Buffer.from('x'.repeat(20))), ...d.push(Buffer.from('y'.repeat(20))), ...d.push(Buffer.from('zz\nnext\n'))];
    expect(lines(out)).toEqual(['!LINE_TOO_LONG', 'next']);
    expect(d.pending).toBe(0);
  });

  it('never holds more than the limit for an unfinished line', () => {
    const d = new LineDecoder(64);
    for (let i = 0; i < 1000; i++) d.push(Buffer.alloc(1000, 0x41));
    expect(d.pending).toBe(0);
  });

  it.each([
    ['a lone continuation byte', Buffer.from([0x80, 0x0a])],
    ['a truncated sequence', Buffer.from([0xe2, 0x82, 0x0a])],
    ['an overlong encoding', Buffer.from([0xc0, 0xaf, 0x0a])],
    ['a surrogate', Buffer.from([0xed, 0xa0, 0x80, 0x0a])],
  ])('invalid UTF-8: %s', (_name, bytes) => {
    expect(feed(16, bytes, 'ok\n')).toEqual(['!BAD_ENCODING', 'ok']);
  });

  it('keeps a multi-byte character split across chunks', () => {
    const euro = Buffer.from('€\n');
    expect(feed(16, euro.subarray(0, 1), euro.subarray(1, 2), euro.subarray(2))).toEqual(['€']);
  });
});
