import { performance } from 'node:perf_hooks';

/**
 * A share of one event-loop turn for work that may wait: once the work asked about in this turn has run
 * for `budgetMs`, `spent()` says so until the turn ends (the next check phase), and the caller puts the
 * rest off with setImmediate, letting the poll phase read the sockets in between. The server gives one
 * to the lines of sessions that are not logged in yet: a hundred clients connecting at once (a restart,
 * a reconnect wave) then take a millisecond a turn instead of tens of milliseconds of chat latency.
 */
export class TurnBudget {
  private start = -1;
  private readonly endTurn = () => { this.start = -1; };

  constructor(private readonly budgetMs: number, private readonly now: () => number = () => performance.now()) {}

  spent(): boolean {
    const t = this.now();
    if (this.start < 0) {
      this.start = t;
      setImmediate(this.endTurn);
      return false;
    }
    return t - this.start >= this.budgetMs;
  }
}
