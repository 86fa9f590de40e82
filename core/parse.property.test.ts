import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseLine, CommandArgs } from './parse.js';

/** Properties of parsing (line → command), which every line from a client goes through: never an exception. */
describe('parseLine properties', () => {
  const anyLine = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.string({ maxLength: 200 }).map((s) => '/' + s),
    fc.array(fc.constantFrom('/', ' ', 'a', 'Z', '#', '\t', '\u00a0', '\u3000', 'é', '//', '\r', '\u0000'), { maxLength: 40 }).map((a) => a.join('')),
  );

  it('never throws, and classifies every line as blank, text or command', () => {
    fc.assert(fc.property(anyLine, (line) => {
      const p = parseLine(line);
      if (line.trim() === '') expect(p.kind).toBe('blank');
      else if (line.startsWith('//')) expect(p).toEqual({ kind: 'text', text: line.slice(1) });
      else if (line.startsWith('/')) expect(p.kind).toBe('command');
      else expect(p).toEqual({ kind: 'text', text: line });
    }), { numRuns: 2000 });
  });

  it('splits arguments on spaces, and rest(i) is the line verbatim from argument i', () => {
    fc.assert(fc.property(anyLine.map((s) => '/x ' + s), (line) => {
      const p = parseLine(line);
      if (p.kind !== 'command') return;
      const raw = line.slice(3);
      expect(p.args.list).toEqual(raw.split(' ').filter((a) => a !== ''));
      p.args.list.forEach((a, i) => {
        expect(a).not.toContain(' ');
        expect(p.args.rest(i).startsWith(a)).toBe(true);
        expect(raw.endsWith(p.args.rest(i))).toBe(true);
      });
      expect(p.args.rest(p.args.length)).toBe('');
      expect(p.name).toBe(p.name.toLowerCase());
    }), { numRuns: 2000 });
  });

  it('CommandArgs never reads outside its list', () => {
    fc.assert(fc.property(fc.string(), fc.integer({ min: -5, max: 50 }), (raw, i) => {
      const a = new CommandArgs(raw);
      if (i < 0 || i >= a.length) { expect(a.get(i)).toBeUndefined(); expect(a.rest(i)).toBe(''); }
    }));
  });
});
