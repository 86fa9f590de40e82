/**
 * Input pacing in the manner of Ergo's "fakelag": a burst goes through at once, then lines are delayed
 * to a steady rate rather than refused. Pure arithmetic over an injected time, so it is tested by tables.
 */
export interface FloodSettings { burst: number; linesPerSecond: number }

export class TokenBucket {
  private tokens: number;
  private updated: number;
  constructor(private readonly settings: FloodSettings, now: number) {
    this.tokens = settings.burst;
    this.updated = now;
  }

  /** Milliseconds to wait before the next line may run (0: now). Takes the token when it returns 0. */
  take(now: number): number {
    this.refill(now);
    if (this.tokens >= 1) { this.tokens -= 1; return 0; }
    return Math.ceil(((1 - this.tokens) / this.settings.linesPerSecond) * 1000);
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updated) / 1000;
    this.tokens = Math.min(this.settings.burst, this.tokens + elapsed * this.settings.linesPerSecond);
    this.updated = now;
  }
}
