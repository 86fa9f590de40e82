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
  /** Resolves once everything written so far has been handed to the network (true), or false if it closed first. */
  flushed?(): Promise<boolean>;
}

/**
 * A TCP or TLS socket as a Transport. A class, not an object of closures: there is one per connection,
 * and its methods live once on the prototype.
 */
export class SocketTransport implements Transport {
  readonly remoteAddress: string;
  /** Why reading is paused: lines queued past the high-water mark (INPUT), or a chunk left to frame (FRAMING). */
  private holds = 0;
  /** Called when the input queue lets reading go on (its lines drained). */
  onInputResumed?: () => void;
  constructor(private readonly socket: Socket) {
    this.remoteAddress = (socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
  }
  get writableLength(): number { return this.socket.writableLength; }
  write(data: string | Buffer): void { if (!this.socket.destroyed) this.socket.write(data); }
  end(): void { if (!this.socket.destroyed) this.socket.end(); }
  destroy(): void { this.socket.destroy(); }
  flushed(): Promise<boolean> {
    const socket = this.socket;
    if (socket.destroyed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onClose = () => resolve(false);
      socket.once('close', onClose);
      // An empty write's callback runs once every earlier write has left.
      socket.write(NOTHING, (err) => { socket.off('close', onClose); resolve(!err); });
    });
  }
  pause(): void { this.hold(INPUT); }
  resume(): void {
    this.release(INPUT);
    this.onInputResumed?.();
  }
  get inputPaused(): boolean { return (this.holds & INPUT) !== 0; }
  hold(why: number): void {
    if (this.holds === 0) this.socket.pause();
    this.holds |= why;
  }
  release(why: number): void {
    if (this.holds === 0) return;
    this.holds &= ~why;
    if (this.holds === 0) this.socket.resume();
  }
}

const NOTHING = Buffer.alloc(0);
export const INPUT = 1;
export const FRAMING = 2;

export function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address === 'console';
}
