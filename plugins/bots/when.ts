/**
 * When a reminder is due, from what a user wrote, and times written back for people. Pure functions of
 * the text, the current time and a time zone, so they are tested by tables.
 *
 *   10m · 90s · 2h · 1h30m · 1d12h · 2w      a duration from now (optionally after `in`)
 *   at 14:30 · at 9:05                       the next time the clock shows it, in the configured zone
 *   at 2026-12-01 09:00 · on 2026-12-01 9:00 that date and time, in the configured zone
 */

const UNITS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 };

/** `1h30m` and the like; undefined if the word is not a duration. */
export function parseCompoundDuration(word: string): number | undefined {
  const m = /^(?:(\d{1,4})w)?(?:(\d{1,5})d)?(?:(\d{1,6})h)?(?:(\d{1,7})m(?:in)?)?(?:(\d{1,9})s)?$/i.exec(word);
  if (!m || word === '') return undefined;
  const [w, d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0));
  const ms = w! * UNITS.w! + d! * UNITS.d! + h! * UNITS.h! + min! * UNITS.m! + s! * UNITS.s!;
  return ms > 0 ? ms : undefined;
}

export type When = { due: number; words: number } | { error: string };

/**
 * Read the time at the start of `words`: the due time (ms since the epoch) and how many words it took,
 * or an error for the user.
 */
export function parseWhen(words: readonly string[], now: number, timeZone: string): When {
  const first = words[0]?.toLowerCase();
  if (first === undefined) return { error: 'say when' };
  if (first === 'in') {
    const ms = words[1] ? parseCompoundDuration(words[1]) : undefined;
    return ms ? { due: now + ms, words: 2 } : { error: `"${words[1] ?? ''}" is not a duration like 10m or 1h30m` };
  }
  if (first === 'at' || first === 'on') {
    const a = words[1] ?? '';
    const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(a);
    if (date) {
      const clock = parseClock(words[2] ?? '');
      if (!clock) return { error: `after the date, give a time like 09:00` };
      const [y, mo, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
      if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return { error: `${a} is not a date` };
      const due = zonedTime(timeZone, y, mo, d, clock.h, clock.m);
      if (due <= now) return { error: `${a} ${words[2]} has already passed` };
      return { due, words: 3 };
    }
    const clock = parseClock(a);
    if (!clock) return { error: `"${a}" is not a time like 14:30 or a date like 2026-12-01 09:00` };
    const today = zonedParts(timeZone, now);
    let due = zonedTime(timeZone, today.y, today.mo, today.d, clock.h, clock.m);
    if (due <= now) {
      const tomorrow = new Date(Date.UTC(today.y, today.mo - 1, today.d + 1));
      due = zonedTime(timeZone, tomorrow.getUTCFullYear(), tomorrow.getUTCMonth() + 1, tomorrow.getUTCDate(), clock.h, clock.m);
    }
    return { due, words: 2 };
  }
  const ms = parseCompoundDuration(first);
  return ms ? { due: now + ms, words: 1 } : { error: `"${words[0]}" is not a time: write 10m, 1h30m, at 14:30 or at 2026-12-01 09:00` };
}

function parseClock(text: string): { h: number; m: number } | undefined {
  const m = /^(\d{1,2})[:.h](\d{2})$/.exec(text);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? { h, m: min } : undefined;
}

function daysIn(y: number, mo: number): number {
  return new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** Throws a RangeError for a zone name Node does not know (checked at plugin setup). */
export function checkTimeZone(timeZone: string): void {
  new Intl.DateTimeFormat('en-US', { timeZone }).format(0);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The calendar date and clock time a moment shows in a zone. */
export function zonedParts(timeZone: string, t: number): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p.year!, mo: p.month!, d: p.day!, h: p.hour! % 24, mi: p.minute!, s: p.second! };
}

/** The moment a zone's clock shows y-mo-d h:m (a time skipped by a DST change lands just after it). */
export function zonedTime(timeZone: string, y: number, mo: number, d: number, h: number, m: number): number {
  const wall = Date.UTC(y, mo - 1, d, h, m);
  const offsetAt = (t: number) => {
    const p = zonedParts(timeZone, t);
    return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - (t - (t % 1000));
  };
  let t = wall - offsetAt(wall);
  t = wall - offsetAt(t);
  return t;
}

/** `2h 5m`, `45s`, `3d 2h`: the largest unit and the next one when it is not zero. */
export function formatSpan(ms: number): string {
  let left = Math.max(0, Math.round(ms / 1000));
  const parts: [string, number][] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    parts.push([unit, Math.floor(left / size)]);
    left %= size;
  }
  const i = parts.findIndex(([, n]) => n > 0);
  if (i < 0) return '0s';
  const [u1, n1] = parts[i]!;
  const next = parts[i + 1];
  return next && next[1] > 0 ? `${n1}${u1} ${next[1]}${next[0]}` : `${n1}${u1}`;
}

/** `14:30 UTC` today, `2026-12-01 09:00 UTC` another day (in the zone's terms). */
export function formatTime(t: number, now: number, timeZone: string): string {
  const p = zonedParts(timeZone, t);
  const today = zonedParts(timeZone, now);
  const clock = `${pad(p.h)}:${pad(p.mi)}`;
  const label = timeZone === 'UTC' || timeZone === 'Etc/UTC' ? 'UTC' : timeZone;
  return p.y === today.y && p.mo === today.mo && p.d === today.d ? `${clock} ${label}` : `${p.y}-${pad(p.mo)}-${pad(p.d)} ${clock} ${label}`;
}

const pad = (n: number) => String(n).padStart(2, '0');
