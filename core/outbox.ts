import type { Session } from './session.js';

/**
 * Coalesces writes: everything sent to a session during one event-loop turn leaves in one write()
 * (about 20× the throughput of a write per line in `npm run bench`). A turn that runs long (a burst
 * of new connections and logins, say) does not hold back what is already waiting: `flushIfLate` lets it
 * out once it has waited `maxDelayMs`. (5 ms: at 2 ms the extra writes cost 13% of the many-rooms
 * saturation throughput; without it a burst of logins gave the chat p99 outliers of ×3.8.)
 */
export class Outbox {
  private dirty: Session[] = [];
  private scheduled = false;
  /** When the oldest output waiting was queued (performance.now()). */
  private since = 0;

  constructor(private readonly maxDelayMs = 5) {}

  mark(session: Session): void {
    if (this.dirty.length === 0) this.since = performance.now();
    this.dirty.push(session);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.onImmediate);
    }
  }

  /** Called as input comes in: flush now if output has waited too long for the turn to end. */
  flushIfLate(): void {
    if (this.dirty.length > 0 && performance.now() - this.since >= this.maxDelayMs) this.flush();
  }

  private readonly onImmediate = (): void => {
    this.scheduled = false;
    this.flush();
  };

  private flush(): void {
    const sessions = this.dirty;
    if (sessions.length === 0) return;
    this.dirty = [];
    const shared = new SharedConcat();
    for (const s of sessions) s.flushOutput(shared);
  }
}

/**
 * The members of a channel usually get the very same events in a turn, in the same order: their output is
 * then the same bytes, concatenated once and handed to every socket (one flush's lifetime, so nothing is
 * pinned afterwards).
 */
export class SharedConcat {
  private parts?: readonly (string | Buffer)[];
  private data?: Buffer;

  concat(parts: readonly (string | Buffer)[]): string | Buffer {
    if (parts.length === 1) return parts[0]!;
    if (this.parts && this.data && sameBuffers(parts, this.parts)) return this.data;
    const data = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
    this.parts = parts;
    this.data = data;
    return data;
  }
}

function sameBuffers(a: readonly (string | Buffer)[], b: readonly (string | Buffer)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] || typeof a[i] === 'string') return false;
  return true;
}
