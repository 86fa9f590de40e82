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

export function socketTransport(socket: Socket): Transport {
  const address = (socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
  return {
    remoteAddress: address,
    get writableLength() { return socket.writableLength; },
    write: (data) => { if (!socket.destroyed) socket.write(data); },
    end: () => { if (!socket.destroyed) socket.end(); },
    destroy: () => socket.destroy(),
    pause: () => socket.pause(),
    resume: () => socket.resume(),
  };
}

export function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address === 'console';
}
