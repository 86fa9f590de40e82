/**
 * Failed logins counted per key (an account, an address) over a sliding window, in memory: a brute-force
 * guesser is refused before any hashing work. Bounded: at most `maxKeys` keys are tracked, oldest first out.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly max: () => number,
    private readonly windowMs: () => number,
    private readonly now: () => number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Milliseconds to wait before another attempt, or 0 when one is allowed now. */
  waitMs(key: string): number {
    const max = this.max();
    if (max <= 0) return 0;
    const list = this.live(key);
    if (!list || list.length < max) return 0;
    return Math.max(1, list[list.length - max]! + this.windowMs() - this.now());
  }

  fail(key: string): void {
    if (this.max() <= 0) return;
    const list = this.live(key) ?? [];
    list.push(this.now());
    if (list.length > this.max()) list.splice(0, list.length - this.max());
    this.failures.delete(key);
    this.failures.set(key, list);
    if (this.failures.size > this.maxKeys) this.failures.delete(this.failures.keys().next().value!);
  }

  clear(key: string): void { this.failures.delete(key); }

  /** Failures counted for the key within the window. */
  count(key: string): number { return this.live(key)?.length ?? 0; }

  /** Forget windows that have passed (called from a timer). */
  sweep(): void {
    for (const key of [...this.failures.keys()]) this.live(key);
  }

  private live(key: string): number[] | undefined {
    const list = this.failures.get(key);
    if (!list) return undefined;
    const since = this.now() - this.windowMs();
    while (list.length && list[0]! <= since) list.shift();
    if (list.length === 0) { this.failures.delete(key); return undefined; }
    return list;
  }
}

/**
 * The key failures and registrations are counted under for a client address: an IPv4 address as it is,
 * an IPv6 address by its /64 (one subscriber's network: rotating addresses inside it must not escape a limit).
 */
export function addressKey(address: string): string {
  if (!address.includes(':') || address === '::1') return address;
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  if (groups.length < 4) return address.toLowerCase();
  return `${groups.slice(0, 4).map((g) => (parseInt(g, 16) || 0).toString(16)).join(':')}::/64`;
}

/** "3 minutes", "45 seconds": how long to wait, for RATE_LIMITED texts. */
export function waitText(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 120) return `${s} second${s === 1 ? '' : 's'}`;
  const m = Math.ceil(s / 60);
  if (m < 120) return `${m} minutes`;
  return `${Math.ceil(m / 60)} hours`;
}
