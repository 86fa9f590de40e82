import { readdirSync, readFileSync } from 'node:fs';

/** Descriptors kept free beside the connections: database connections, files, a reload's imports. */
const MARGIN = 32;
/** How often the limit is read again (an operator may change it with prlimit while the server runs). */
const RECHECK_MS = 1_000;

/**
 * Whether the process can take one more connection without running out of file descriptors. Past the limit
 * libuv accepts and closes new connections itself, silently (its EMFILE trick), and files the server needs
 * cannot be opened: the server refuses connections before that, and says why. Linux only (/proc); elsewhere
 * nothing is refused.
 */
export class DescriptorBudget {
  private limit?: number;
  private checkedAt = -Infinity;
  /** Descriptors open before any connection (listeners, database, stdio). */
  private baseline = 0;

  /** Count what is open now, before any connection. */
  start(): void { this.baseline = openDescriptors() ?? 0; }

  /** Whether a new connection, beside `connections` others, would leave fewer than MARGIN descriptors. */
  full(connections: number, now = Date.now()): boolean {
    if (now - this.checkedAt >= RECHECK_MS) {
      this.limit = openFileLimit();
      this.checkedAt = now;
    }
    return this.limit !== undefined && this.baseline + connections + 1 + MARGIN > this.limit;
  }

  get max(): number | undefined { return this.limit === undefined ? undefined : Math.max(0, this.limit - this.baseline - MARGIN); }
}

function openFileLimit(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
    return m ? Number(m[1]) : undefined;
  } catch { return undefined; }
}

function openDescriptors(): number | undefined {
  try { return readdirSync('/proc/self/fd').length; } catch { return undefined; }
}
