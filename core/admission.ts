import type { ServerConfig } from './config.js';
import { AcceptErrorLog, DescriptorBudget } from './descriptors.js';
import type { Logger } from './logger.js';
import type { Session } from './session.js';
import { isLoopback } from './transport.js';

/** The connection caps: whether a new connection may come in, and the slots the current ones hold. */
export class Admission {
  /** Connections that hold a slot: open sessions, and closed ones whose socket is still closing. */
  private readonly held = new Set<Session>();
  private readonly perAddress = new Map<string, number>();
  /** Accept failures and refusals for want of descriptors, reported at most every few seconds. */
  readonly acceptErrors = new AcceptErrorLog();
  readonly descriptors = new DescriptorBudget();

  constructor(private readonly log: Logger) {}

  /** Connections holding a slot. */
  get connections(): number { return this.held.size; }

  holds(session: Session): boolean { return this.held.has(session); }

  /** Why a new connection from `address` is refused now, or undefined when it may come in. */
  refusal(address: string, settings: ServerConfig['server'], shuttingDown: boolean): string | undefined {
    if (shuttingDown) return 'The server is shutting down.';
    if (settings.maxConnections > 0 && this.held.size >= settings.maxConnections) return 'The server is full; try again later.';
    if (this.descriptors.full(this.held.size)) {
      this.acceptErrors.report(this.log, `the file descriptor limit allows ${this.descriptors.max} connections; refusing new ones`);
      return 'The server is full; try again later.';
    }
    if (settings.maxConnectionsPerAddress > 0 && (settings.limitLoopback || !isLoopback(address))
      && (this.perAddress.get(address) ?? 0) >= settings.maxConnectionsPerAddress) return `Too many connections from ${address}.`;
    return undefined;
  }

  /** A session opened: it holds a slot until released. */
  take(session: Session): void {
    this.held.add(session);
    this.perAddress.set(session.address, (this.perAddress.get(session.address) ?? 0) + 1);
  }

  /** The connection is really closed: its slot is free. False when it held none (released already). */
  release(session: Session): boolean {
    if (!this.held.delete(session)) return false;
    const n = (this.perAddress.get(session.address) ?? 1) - 1;
    if (n > 0) this.perAddress.set(session.address, n); else this.perAddress.delete(session.address);
    return true;
  }
}
