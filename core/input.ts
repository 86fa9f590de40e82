import { TokenBucket, type FloodSettings } from './flood.js';
import type { Session } from './session.js';

export type InputItem = { line: string } | { error: 'LINE_TOO_LONG' | 'BAD_ENCODING' };

export interface InputLimits extends FloodSettings { maxQueuedLines: number; maxRefusedPerMinute: number }

/** Who runs the lines: one per server, shared by every session's queue. */
export interface InputRunner {
  now(): number;
  run(session: Session, item: InputItem): Promise<void>;
  /** A line found the queue full ('queue-full'), or refusals came too often ('abuse'). */
  refuse(session: Session, kind: 'queue-full' | 'abuse', item: InputItem): void;
  /** Whether this session's next line must wait (see EntryGate): then `queue.resume()` is called when its turn comes. */
  deferred(session: Session, queue: InputQueue, item: InputItem): boolean;
}

/**
 * A session's lines, run one at a time in the order they came (a reply never overtakes an earlier one).
 * Paced by a token bucket when flood control applies: a burst runs at once, later lines wait their turn,
 * and only when the bounded queue is full is a line refused (RATE_LIMITED). Too many refusals: the
 * session is closed. Without flood limits (disabled, or an exempt loopback client) the queue is bounded
 * by backpressure instead: past a high-water mark the connection is not read until it drains.
 */
export class InputQueue {
  private readonly items: InputItem[] = [];
  private running = false;
  private timer?: NodeJS.Timeout;
  /** Set while the runner holds the queue back (it calls resume() when its turn comes). */
  private held = false;
  private readonly bucket?: TokenBucket;
  /** Times of recent refusals, oldest first, at most maxRefusedPerMinute + 1 of them (made at the first). */
  private refusals?: number[];
  private paused = false;
  /** Resumed after being put off: its next line runs whatever the budget says (else a busier queue that
   * resumes first in each turn would spend the budget before it, every turn). */
  private owed = false;

  constructor(
    private readonly session: Session,
    private readonly limits: InputLimits | undefined,
    private readonly runner: InputRunner,
    /** Without flood limits, lines past this many stop the reading instead (TCP backpressure). */
    private readonly highWater = 200,
  ) {
    if (limits) this.bucket = new TokenBucket(limits, runner.now());
  }

  get length(): number { return this.items.length; }

  push(item: InputItem): void {
    if (this.session.closed) return;
    if (this.limits && this.items.length >= this.limits.maxQueuedLines) {
      const t = this.runner.now();
      const refusals = (this.refusals ??= []);
      // Only the last maxRefusedPerMinute + 1 refusals matter: keep no more (a flood costs O(1) per line).
      while (refusals.length > 0 && (t - refusals[0]! >= 60_000 || refusals.length > this.limits.maxRefusedPerMinute)) refusals.shift();
      refusals.push(t);
      this.runner.refuse(this.session, refusals.length > this.limits.maxRefusedPerMinute ? 'abuse' : 'queue-full', item);
      return;
    }
    this.items.push(item);
    if (!this.limits && !this.paused && this.items.length >= this.highWater) {
      this.paused = true;
      this.session.transport.pause?.();
    }
    if (!this.running && !this.timer && !this.held) void this.pump();
  }

  /** Forget what is queued (the session was kicked or closed: its pending lines must not run). */
  clear(): void {
    this.items.length = 0;
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
  }

  /** Its turn has come (see `deferred`): carry on. */
  resume(): void {
    this.held = false;
    this.owed = true;
    void this.pump();
  }

  private async pump(): Promise<void> {
    this.running = true;
    try {
      while (this.items.length > 0 && !this.session.closed) {
        if (!this.owed && this.runner.deferred(this.session, this, this.items[0]!)) {
          this.held = true;
          return;
        }
        const wait = this.bucket?.take(this.runner.now()) ?? 0;
        if (wait > 0) {
          this.timer = setTimeout(() => { this.timer = undefined; void this.pump(); }, wait);
          return;
        }
        const item = this.items.shift()!;
        this.owed = false;
        // An emptied queue gives back its backing store (shift() keeps the slots), and most sessions are idle.
        if (this.items.length === 0) this.items.length = 0;
        await this.runner.run(this.session, item);
        if (this.paused && this.items.length <= this.highWater / 2 && !this.session.closed) {
          this.paused = false;
          this.session.transport.resume?.();
        }
      }
    } finally {
      this.running = false;
    }
  }
}

