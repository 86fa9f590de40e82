/**
 * Message ids: known without a database round trip, unique on this server and sortable as strings
 * in send order. 9 base-36 digits of milliseconds since the epoch, then 4 of a sequence number; when the
 * sequence runs out within one millisecond, or the clock steps back, the id borrows the next millisecond.
 */
const SEQ_SPAN = 36 ** 4;
/** In a cluster the sequence's first digit is the node's slot: 36^3 ids per millisecond per node. */
const SLOT_SPAN = 36 ** 3;

export class IdGenerator {
  private lastMs = 0;
  private seq = 0;
  /** The node's slot in a cluster (0–35), or undefined for one node (the whole sequence is its own). */
  private slot: number | undefined;
  constructor(private readonly now: () => number = Date.now) {}

  /** Issue ids in a cluster node's slot from now on: unique across nodes, still sorted by time. */
  useSlot(slot: number): void {
    this.slot = slot;
    this.seq = SLOT_SPAN; // the next id takes a fresh millisecond
  }

  /** Continue after an id already issued (for example the newest stored one), so a restart never goes back. */
  seed(id: string | undefined): void {
    if (!id || id.length !== 13) return;
    const ms = parseInt(id.slice(0, 9), 36);
    const seq = parseInt(id.slice(9), 36);
    if (this.slot !== undefined) {
      // Another node's id says nothing of this node's sequence: go past its millisecond.
      if (ms >= this.lastMs) { this.lastMs = ms; this.seq = SLOT_SPAN; }
      return;
    }
    if (ms > this.lastMs || (ms === this.lastMs && seq >= this.seq)) { this.lastMs = ms; this.seq = seq + 1; }
  }

  next(): string {
    const now = this.now();
    if (now > this.lastMs) { this.lastMs = now; this.seq = 0; }
    else if (this.seq >= (this.slot === undefined ? SEQ_SPAN : SLOT_SPAN)) { this.lastMs += 1; this.seq = 0; }
    const seq = this.slot === undefined ? this.seq : this.slot * SLOT_SPAN + this.seq;
    const id = this.lastMs.toString(36).padStart(9, '0') + seq.toString(36).padStart(4, '0');
    this.seq += 1;
    return id;
  }
}

/** The time an id was issued at, in ms since the epoch. */
export function idTime(id: string): number {
  return parseInt(id.slice(0, 9), 36);
}
