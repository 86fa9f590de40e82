import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineDecoder, type Frame } from './framing.js';

/**
 * Properties of framing (bytes → lines), which every byte from a client goes through: hostile input must
 * give an answer, never an exception, and never unbounded memory.
 */
const MAX = 64; // a small limit, so that long lines are common in generated input

function decodeAll(chunks: Uint8Array[], max = MAX): { frames: Frame[]; peak: number } {
  const d = new LineDecoder(max);
  const frames: Frame[] = [];
  let peak = 0;
  for (const c of chunks) {
    frames.push(...d.push(Buffer.from(c)));
    peak = Math.max(peak, d.pending);
  }
  return { frames, peak };
}

/** Cut one buffer into pieces at the given points. */
function cut(data: Uint8Array, points: number[]): Uint8Array[] {
  const at = [...new Set(points.map((p) => p % (data.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of at) { out.push(data.subarray(prev, p)); prev = p; }
  out.push(data.subarray(prev));
  return out;
}

// Bytes that make framing interesting: LF, CR, UTF-8 lead and continuation bytes, invalid bytes.
const byte = fc.oneof(fc.constantFrom(0x0a, 0x0d, 0x2f, 0x20, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0xff, 0xfe, 0x80), fc.integer({ min: 0, max: 255 }));
const bytes = fc.uint8Array({ maxLength: 600 }).chain((base) => fc.array(byte, { maxLength: 600 }).map((extra) => new Uint8Array([...base, ...extra])));

describe('LineDecoder properties', () => {
  it('gives the same frames however the bytes are cut into chunks', () => {
    fc.assert(fc.property(bytes, fc.array(fc.nat(), { maxLength: 20 }), (data, points) => {
      expect(decodeAll(cut(data, points)).frames).toEqual(decodeAll([data]).frames);
    }), { numRuns: 500 });
  });

  it('makes exactly one frame per LF and never holds more than the limit (+1 for a CR)', () => {
    fc.assert(fc.property(bytes, fc.array(fc.nat(), { maxLength: 20 }), (data, points) => {
      const { frames, peak } = decodeAll(cut(data, points));
      expect(frames).toHaveLength(data.filter((b) => b === 0x0a).length);
      expect(peak).toBeLessThanOrEqual(MAX + 1);
    }), { numRuns: 500 });
  });

  it('returns every line of at most the limit as sent (LF or CRLF), and refuses longer ones', () => {
    const line = fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, ''));
    fc.assert(fc.property(fc.array(fc.tuple(line, fc.boolean())), (lines) => {
      const data = Buffer.from(lines.map(([l, crlf]) => l + (crlf ? '\r\n' : '\n')).join(''));
      const { frames } = decodeAll([data]);
      frames.forEach((f, i) => {
        const sent = lines[i]![0];
        if (Buffer.byteLength(sent) > MAX) expect(f).toMatchObject({ kind: 'error', code: 'LINE_TOO_LONG' });
        else expect(f).toEqual({ kind: 'line', line: sent });
      });
    }), { numRuns: 300 });
  });

  it('reports invalid UTF-8 as BAD_ENCODING and valid UTF-8 as a line, never anything else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: MAX }).filter((b) => !b.includes(0x0a)), (line) => {
      const [f] = decodeAll([line, new Uint8Array([0x0a])]).frames;
      const body = line.length && line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line;
      let valid = true;
      try { new TextDecoder('utf-8', { fatal: true }).decode(body); } catch { valid = false; }
      expect(f!.kind === 'line').toBe(valid);
      if (!valid) expect(f).toMatchObject({ code: 'BAD_ENCODING' });
    }), { numRuns: 500 });
  });

  it.each([
    ['empty line', '\n', [{ kind: 'line', line: '' }]],
    ['lone CR is kept inside a line', 'a\rb\n', [{ kind: 'line', line: 'a\rb' }]],
    ['only the CR right before LF is dropped', 'a\r\r\n', [{ kind: 'line', line: 'a\r' }]],
    ['no LF: no frame yet', 'abc', []],
    ['exactly the limit', 'x'.repeat(MAX) + '\n', [{ kind: 'line', line: 'x'.repeat(MAX) }]],
    ['the limit + CR LF', 'x'.repeat(MAX) + '\r\n', [{ kind: 'line', line: 'x'.repeat(MAX) }]],
    ['one over', 'x'.repeat(MAX + 1) + '\n', [{ kind: 'error', code: 'LINE_TOO_LONG', bytes: MAX + 1 }]],
    ['one over + CR LF', 'x'.repeat(MAX + 1) + '\r\n', [{ kind: 'error', code: 'LINE_TOO_LONG', bytes: MAX + 2 }]], // counted with its CR
    ['far over, then a good line', 'x'.repeat(MAX * 10) + '\nok\n', [{ kind: 'error', code: 'LINE_TOO_LONG', bytes: MAX * 10 }, { kind: 'line', line: 'ok' }]],
    ['overlong UTF-8 for "/"', Buffer.from([0xc0, 0xaf, 0x0a]), [{ kind: 'error', code: 'BAD_ENCODING', bytes: 2 }]],
    ['UTF-8 surrogate', Buffer.from([0xed, 0xa0, 0x80, 0x0a]), [{ kind: 'error', code: 'BAD_ENCODING', bytes: 3 }]],
    ['NUL is valid UTF-8', Buffer.from([0x61, 0x00, 0x62, 0x0a]), [{ kind: 'line', line: 'a\u0000b' }]],
  ] as [string, string | Buffer, Frame[]][])('%s', (_name, input, expected) => {
    expect(decodeAll([typeof input === 'string' ? Buffer.from(input) : input]).frames).toEqual(expected);
  });
});
