import { describe, expect, it } from 'vitest';
import { labelOutput, splitLabel } from './labels.js';

describe('request labels: reading the prefix', () => {
  it.each([
    ['/ping', undefined],
    ['@bob hi', undefined],
    ['@label hi', undefined],
    ['@Label=x /ping', undefined],
    [' @label=x /ping', undefined],
    ['@label=r1 /ping', { label: 'r1', line: '/ping' }],
    ['@label=r1   /join #a', { label: 'r1', line: '/join #a' }],
    ['@label=a.b_c:d-9 hello there', { label: 'a.b_c:d-9', line: 'hello there' }],
    ['@label=x @label=y hi', { label: 'x', line: '@label=y hi' }],
    ['@label=x', { label: 'x', line: '' }],
    ['@label=x ', { label: 'x', line: '' }],
    [`@label=${'x'.repeat(64)} /ping`, { label: 'x'.repeat(64), line: '/ping' }],
    [`@label=${'x'.repeat(65)} /ping`, { bad: 'x'.repeat(65) }],
    ['@label= /ping', { bad: '' }],
    ['@label=a;b=c /ping', { bad: 'a;b=c' }],
    ['@label=é /ping', { bad: 'é' }],
    ['@label="x" /ping', { bad: '"x"' }],
  ])('%j', (line, expected) => {
    expect(splitLabel(line)).toEqual(expected);
  });
});

describe('request labels: labeling output', () => {
  it.each([
    ['text', '* pong\n', '@label=7 * pong\n'],
    ['text', '* Commands:\n  /a  x\n', '@label=7 * Commands:\n@label=7   /a  x\n'],
    ['json', '{"type":"pong","token":""}\n', '{"type":"pong","token":"","label":"7"}\n'],
    ['json', '{"type":"ok"}\n{"type":"ok"}\n', '{"type":"ok","label":"7"}\n{"type":"ok","label":"7"}\n'],
  ])('%s %j', (format, data, expected) => {
    expect(labelOutput(data, format, '7')).toBe(expected);
    expect(labelOutput(Buffer.from(data), format, '7')).toBe(expected);
  });

  it('leaves a json line an object a parser reads', () => {
    expect(JSON.parse(labelOutput('{"type":"message","text":"a}"}\n', 'json', 'q'))).toEqual({ type: 'message', text: 'a}', label: 'q' });
  });
});
