import type { Clock } from '../clock.js';

/**
 * A clock a test sets by hand. Anything that depends on the time of day (a reply that names the date when
 * it is not today, a day boundary) runs on this at fixed times, never on the wall clock.
 * `at` is frozen until moved; `from` starts at the given time and runs at the real pace (for real timers).
 */
export class ManualClock implements Clock {
  private constructor(private offset: number, private readonly running: boolean) {}
  /** Frozen at a UTC time written as `2026-12-31T23:30:00Z`. */
  static at(iso: string): ManualClock { return new ManualClock(parse(iso), false); }
  /** Starts at a UTC time and runs at the real pace. */
  static from(iso: string): ManualClock { return new ManualClock(parse(iso) - Date.now(), true); }
  now(): number { return this.running ? Date.now() + this.offset : this.offset; }
  advance(ms: number): void { this.offset += ms; }
}

function parse(iso: string): number {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) throw new Error(`not a time: ${iso}`);
  return t;
}
