import { readdirSync, readFileSync } from 'node:fs';
import type { Logger } from './logger.js';

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

export function isDescriptorShortage(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EMFILE' || code === 'ENFILE';
}

/** Connections refused for want of file descriptors: logged at most once per interval, with a count of the others. */
export class AcceptErrorLog {
  private last = -Infinity;
  private suppressed = 0;
  constructor(private readonly intervalMs = 10_000) {}
  report(log: Logger, why: string): void {
    const now = Date.now();
    if (now - this.last < this.intervalMs) { this.suppressed++; return; }
    const more = this.suppressed > 0 ? ` (${this.suppressed} more since the last report)` : '';
    log.warn(`cannot take connections: ${why}${more}; raise the limit (ulimit -n) or lower server.maxConnections`);
    this.last = now;
    this.suppressed = 0;
  }
}
