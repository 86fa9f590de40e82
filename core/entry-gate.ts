import { performance } from 'node:perf_hooks';
import { TurnBudget } from './turn-budget.js';

/** What waits at the gate: an input queue, resumed when its turn comes. */
export interface GateWaiter { resume(): void }

/** A line let through, until it finishes. */
export interface GatePass { readonly at: number }

/**
 * Admission for the lines of sessions that have not logged in (logins, registrations, a listener's
 * handshake). A reconnect wave brings thousands at once; each login's cost is mostly in its continuations
 * (database, join, replay), which run after its line has started, so a time budget on starting lines
 * alone lets hundreds of logins pile up and then finish in one long run of the event loop, and every chat
 * line waits behind them. The gate bounds both: at most `maxInFlight` such lines at once, started only
 * while this turn's budget lasts; the rest wait in arrival order and are started from the check phase,
 * a few a turn, so the poll phase reads the chat of people already in between every few logins.
 * A line under way for longer than `stallMs` is waiting for something else (a stalled database, a
 * password hash) and costs the event loop nothing meanwhile: it stops counting, so that a stall makes
 * every login fail within its own timeout rather than a few at a time, one timeout after the other.
 */
export class EntryGate {
  private readonly underway = new Set<GatePass>();
  private readonly waiting: GateWaiter[] = [];
  private head = 0;
  private scheduled = false;
  private stallTimer?: NodeJS.Timeout;
  private readonly budget: TurnBudget;

  constructor(
    private readonly maxInFlight: number,
    budgetMs: number,
    private readonly now: () => number = () => performance.now(),
    private readonly stallMs = 50,
  ) {
    this.budget = new TurnBudget(budgetMs, now);
  }

  /** Lines under way that still count against the cap (started less than stallMs ago). */
  private get inFlight(): number {
    const since = this.now() - this.stallMs;
    let n = 0;
    for (const p of this.underway) if (p.at > since && ++n >= this.maxInFlight) break;
    return n;
  }

  /** How many wait (for /stats and tests). */
  get queued(): number { return this.waiting.length - this.head; }

  /** True when the caller must wait: `waiter.resume()` is called when its turn comes. */
  wait(waiter: GateWaiter): boolean {
    if (this.queued === 0 && this.inFlight < this.maxInFlight && !this.budget.spent()) return false;
    this.waiting.push(waiter);
    this.schedule();
    return true;
  }

  /** Around each line let through (or resumed): what bounds the lines in flight. */
  started(): GatePass {
    const pass = { at: this.now() };
    this.underway.add(pass);
    return pass;
  }

  finished(pass: GatePass): void {
    this.underway.delete(pass);
    if (this.queued > 0) this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(drain, this);
  }

  /** From the check phase: start waiters up to the cap; what they do runs after this returns. */
  drain(): void {
    this.scheduled = false;
    while (this.queued > 0 && this.inFlight < this.maxInFlight) {
      const waiter = this.waiting[this.head]!;
      this.waiting[this.head++] = undefined as unknown as GateWaiter;
      waiter.resume();
    }
    // A wave's queue is drained from its head: compact now and then instead of shift() on each.
    if (this.head > 1024 && this.head * 2 > this.waiting.length) { this.waiting.splice(0, this.head); this.head = 0; }
    if (this.queued === 0) { this.waiting.length = 0; this.head = 0; return; }
    // Nothing in flight will call finished() to go on (a waiter resumed into a closed session): go on here.
    if (this.inFlight < this.maxInFlight) this.schedule();
    // Everything in flight may be stalled: look again once it would stop counting.
    else this.stallTimer ??= setTimeout(() => { this.stallTimer = undefined; this.schedule(); }, this.stallMs).unref();
  }
}

function drain(gate: EntryGate): void { gate.drain(); }
