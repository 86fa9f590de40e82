import { describe, expect, it } from 'vitest';
import { formatSpan, formatTime, parseCompoundDuration, parseWhen, zonedTime } from './when.js';

// 2026-11-25 12:00:00 UTC, a Wednesday.
const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const MIN = 60_000;

describe('when a reminder is due', () => {
  it.each([
    ['10m', 10 * MIN, 1],
    ['90s', 90_000, 1],
    ['2h', 120 * MIN, 1],
    ['1h30m', 90 * MIN, 1],
    ['1d12h', 36 * 60 * MIN, 1],
    ['2w', 14 * 24 * 60 * MIN, 1],
    ['in 5min', 5 * MIN, 2],
  ])('%s is %d ms from now', (text, ms, words) => {
    expect(parseWhen(text.split(' '), NOW, 'UTC')).toEqual({ due: NOW + ms, words });
  });

  it.each([
    ['at 14:30', Date.UTC(2026, 10, 25, 14, 30)],
    ['at 9:05', Date.UTC(2026, 10, 26, 9, 5)],       // already past today: tomorrow
    ['at 12:00', Date.UTC(2026, 10, 26, 12, 0)],     // now is not "later"
    ['at 2026-12-01 09:00', Date.UTC(2026, 11, 1, 9, 0)],
    ['on 2027-01-01 0:00', Date.UTC(2027, 0, 1, 0, 0)],
  ])('%s (UTC)', (text, due) => {
    const w = parseWhen(text.split(' '), NOW, 'UTC');
    expect(w).toMatchObject({ due });
  });

  it('reads clock times in the configured zone, across a daylight saving change', () => {
    // Paris is UTC+1 in November.
    expect(parseWhen(['at', '14:30'], NOW, 'Europe/Paris')).toMatchObject({ due: Date.UTC(2026, 10, 25, 13, 30) });
    // New York: 2026-03-08 is the spring-forward day; 12:00 EDT is 16:00 UTC, the day before 12:00 EST is 17:00 UTC.
    expect(zonedTime('America/New_York', 2026, 3, 8, 12, 0)).toBe(Date.UTC(2026, 2, 8, 16, 0));
    expect(zonedTime('America/New_York', 2026, 3, 7, 12, 0)).toBe(Date.UTC(2026, 2, 7, 17, 0));
  });

  it.each([
    [''],
    ['soon'],
    ['10'],
    ['0m'],
    ['in'],
    ['in soon'],
    ['at 25:00'],
    ['at 14:61'],
    ['at noon'],
    ['at 2026-02-30 10:00'],
    ['at 2026-12-01'],
    ['at 2020-01-01 10:00'],
  ])('refuses "%s" with a reason', (text) => {
    const w = parseWhen(text === '' ? [] : text.split(' '), NOW, 'UTC');
    expect(w).toHaveProperty('error');
  });

  it('reads compound durations strictly', () => {
    expect(parseCompoundDuration('1h30m')).toBe(90 * MIN);
    expect(parseCompoundDuration('30m1h')).toBeUndefined();
    expect(parseCompoundDuration('1x')).toBeUndefined();
  });
});

describe('times for people', () => {
  // "at" a time already past today is tomorrow, across the end of a month and of a year (and a leap day).
  it.each([
    ['2026-01-31T23:30:00Z', 'at 0:15', Date.UTC(2026, 1, 1, 0, 15), '2026-02-01 00:15 UTC'],
    ['2026-02-28T23:30:00Z', 'at 0:15', Date.UTC(2026, 2, 1, 0, 15), '2026-03-01 00:15 UTC'],
    ['2028-02-28T23:30:00Z', 'at 0:15', Date.UTC(2028, 1, 29, 0, 15), '2028-02-29 00:15 UTC'],
    ['2026-12-31T23:30:00Z', 'at 0:15', Date.UTC(2027, 0, 1, 0, 15), '2027-01-01 00:15 UTC'],
    ['2026-12-31T23:30:00Z', 'at 23:45', Date.UTC(2026, 11, 31, 23, 45), '23:45 UTC'],
  ])('at %s, "%s" is due %d (%s)', (now, text, due, shown) => {
    const at = Date.parse(now);
    expect(parseWhen(text.split(' '), at, 'UTC')).toMatchObject({ due });
    expect(formatTime(due, at, 'UTC')).toBe(shown);
  });

  it.each([
    [0, '0s'], [45_000, '45s'], [61_000, '1m 1s'], [125 * MIN, '2h 5m'], [120 * MIN, '2h'], [3 * 86_400_000 + 2 * 60 * MIN + 5 * MIN, '3d 2h'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatSpan(ms)).toBe(text);
  });

  it('shows the clock time today and the date another day', () => {
    expect(formatTime(Date.UTC(2026, 10, 25, 14, 30), NOW, 'UTC')).toBe('14:30 UTC');
    expect(formatTime(Date.UTC(2026, 10, 26, 9, 5), NOW, 'UTC')).toBe('2026-11-26 09:05 UTC');
    expect(formatTime(Date.UTC(2026, 10, 25, 14, 30), NOW, 'Europe/Paris')).toBe('15:30 Europe/Paris');
  });
});
