/**
 * Message ids: known without a database round trip, unique on this server and sortable as strings
 * in send order. 9 base-36 digits of milliseconds since the epoch, then 4 of a sequence number; when the
 * sequence runs out within one millisecond, or the clock steps back, the id borrows the next millisecond.
 */
const SEQ_SPAN = 36 ** 4;

export class IdGenerator {
  private lastMs = 0;
  private seq = 0;
  constructor(private readonly now: () => number = Date.now) {}

  /** Continue after an id already issued (for example the newest stored one), so a restart never goes back. */
  seed(id: string | undefined): void {
    if (!id || id.length !== 13) return;
    const ms = parseInt(id.slice(0, 9), 36);
    const seq = parseInt(id.slice(9), 36);
    if (ms > this.lastMs || (ms === this.lastMs && seq >= this.seq)) { this.lastMs = ms; this.seq = seq + 1; }
  }

  next(): string {
    const now = this.now();
    if (now > this.lastMs) { this.lastMs = now; this.seq = 0; }
    else if (this.seq >= SEQ_SPAN) { this.lastMs += 1; this.seq = 0; }
    const id = this.lastMs.toString(36).padStart(9, '0') + this.seq.toString(36).padStart(4, '0');
    this.seq += 1;
    return id;
  }
}

/** The time an id was issued at, in ms since the epoch. */
export function idTime(id: string): number {
  return parseInt(id.slice(0, 9), 36);
}
