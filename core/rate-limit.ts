/** At most `count` in any `windowMs`; a count of 0 turns the limit off. */
export interface RateLimit { count: number; windowMs: number }

/** What take() decides: go ahead, or wait `retryMs` (`warn`: the first refusal since the last accepted event). */
export type Verdict = { ok: true } | { ok: false; warn: boolean; retryMs: number };

interface Bucket { times: number[]; warned: boolean }

/**
 * A sliding-window limit per key, in memory: the times of recent events of each key (failed logins of an
 * account, bot commands of a user). Bounded: a key whose window has passed is forgotten (every 256th event,
 * and by sweep()), and past `maxKeys` keys the one used longest ago goes first.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private events = 0;

  constructor(
    private readonly limit: () => RateLimit,
    private readonly now: () => number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Milliseconds to wait before another event of the key is allowed; 0 when one is allowed now. */
  waitMs(key: string): number {
    const { count, windowMs } = this.limit();
    if (count <= 0) return 0;
    const times = this.live(key, windowMs)?.times;
    if (!times || times.length < count) return 0;
    return Math.max(1, times[times.length - count]! + windowMs - this.now());
  }

  /** Count an event of the key whether or not it was allowed (a failed login). */
  record(key: string): void {
    const { count, windowMs } = this.limit();
    if (count <= 0) return;
    const times = this.touch(key, windowMs).times;
    times.push(this.now());
    if (times.length > count) times.splice(0, times.length - count);
  }

  /**
   * Count an event if the limit allows it (a bot command). A refusal warns the first time after an
   * accepted event and is silent after that, so a flooder hears "slow down" once, then nothing until the
   * window has passed.
   */
  take(key: string): Verdict {
    const { count, windowMs } = this.limit();
    if (count <= 0) return { ok: true };
    const bucket = this.touch(key, windowMs);
    const now = this.now();
    if (bucket.times.length < count) {
      bucket.times.push(now);
      bucket.warned = false;
      return { ok: true };
    }
    const warn = !bucket.warned;
    bucket.warned = true;
    return { ok: false, warn, retryMs: Math.max(1, bucket.times[bucket.times.length - count]! + windowMs - now) };
  }

  clear(key: string): void { this.buckets.delete(key); }

  /** Events counted for the key within the window. */
  count(key: string): number { return this.live(key, this.limit().windowMs)?.times.length ?? 0; }

  /** Forget keys whose window has passed (also done every 256th event; a timer may call it too). */
  sweep(): void {
    const windowMs = this.limit().windowMs;
    for (const key of [...this.buckets.keys()]) this.live(key, windowMs);
  }

  /** Keys tracked now. */
  get size(): number { return this.buckets.size; }

  /** The key's bucket, made when missing, as the most recently used. */
  private touch(key: string, windowMs: number): Bucket {
    if (++this.events % 256 === 0) this.sweep();
    const bucket = this.live(key, windowMs) ?? { times: [], warned: false };
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return bucket;
  }

  /** The key's bucket without the times that left the window; gone when none is left. */
  private live(key: string, windowMs: number): Bucket | undefined {
    const bucket = this.buckets.get(key);
    if (!bucket) return undefined;
    const since = this.now() - windowMs;
    while (bucket.times.length && bucket.times[0]! <= since) bucket.times.shift();
    if (bucket.times.length === 0) { this.buckets.delete(key); return undefined; }
    return bucket;
  }
}
