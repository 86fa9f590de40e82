import type { Socket } from 'node:net';

/** What a session talks through: a TCP or TLS socket, or the operator console. */
export interface Transport {
  readonly remoteAddress: string;
  /** Bytes accepted but not yet handed to the kernel. */
  readonly writableLength: number;
  write(data: string | Buffer): void;
  /** Flush what is pending, then close. */
  end(): void;
  /** Close at once, dropping what is pending. */
  destroy(): void;
  /** Stop and restart reading input (backpressure when a session's lines pile up). */
  pause?(): void;
  resume?(): void;
}

/**
 * A TCP or TLS socket as a Transport. A class, not an object of closures: there is one per connection,
 * and its methods live once on the prototype.
 */
export class SocketTransport implements Transport {
  readonly remoteAddress: string;
  constructor(private readonly socket: Socket) {
    this.remoteAddress = (socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
  }
  get writableLength(): number { return this.socket.writableLength; }
  write(data: string | Buffer): void { if (!this.socket.destroyed) this.socket.write(data); }
  end(): void { if (!this.socket.destroyed) this.socket.end(); }
  destroy(): void { this.socket.destroy(); }
  pause(): void { this.socket.pause(); }
  resume(): void { this.socket.resume(); }
}

export function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address === 'console';
}
