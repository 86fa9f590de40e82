import { describe, expect, it } from 'vitest';
import { Logger, type LogRecord } from './logger.js';

/** Nothing in a log message can end the line, start an escape sequence or ring the bell. */
// eslint-disable-next-line no-control-regex
const ACTIVE = /[\u0000-\u001f\u007f-\u009f]/;

describe('Logger', () => {
  it('escapes every message in the logger itself, whoever logs it; a stack keeps its lines, indented', () => {
    const records: LogRecord[] = [];
    const log = new Logger({ write: (r) => records.push(r) }, 'debug').child('scope\u001b[31m');
    log.info('one\ntwo\u001b[1m');
    log.warn('bell\u0007 and \u202e bidi');
    log.error('failed for\r name', new Error('boom\nsecond'));
    expect(records.map((r) => r.message.split('\n')[0])).toEqual(['one^Jtwo^[[1m', 'bell^G and \\u202e bidi', 'failed for^M name: Error: boom']);
    expect(records[0]!.scope).toBe('scope^[[31m');
    for (const r of records) for (const l of r.message.split('\n')) expect(l).not.toMatch(ACTIVE);
    // The stack's other lines are indented under the record, never a record of their own.
    expect(records[2]!.message.split('\n').slice(1).every((l) => l.startsWith('    '))).toBe(true);
  });});
