import { connect, type Socket } from 'node:net';

const READ_BUFFER = Buffer.alloc(256 * 1024);

type Waiter = { pred: (line: string) => boolean; resolve: (line: string) => void; reject: (err: Error) => void; timer: NodeJS.Timeout };

/**
 * One benchmark connection. In `parse` mode every received line goes to `onLine` and to waiters; in
 * count mode (parse = false) the client only adds up bytes, so that a single generator process can
 * take in millions of lines a second without being the bottleneck.
 */
export class Client {
  readonly socket: Socket;
  /** Bytes received since connect. */
  bytes = 0;
  parse = true;
  closed = false;
  closeError?: string;
  onLine?: (line: string) => void;
  private rest = '';
  private waiters: Waiter[] = [];

  private constructor(socket: Socket, readonly name: string) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('error', (err) => { this.closeError ??= err.message; });
    socket.on('close', () => {
      this.closed = true;
      const err = new Error(`${name}: connection closed${this.closeError ? ` (${this.closeError})` : ''}`);
      for (const w of this.waiters.splice(0)) { clearTimeout(w.timer); w.reject(err); }
    });
  }

  /** What arrived (read into the shared buffer, see open()): counted, and split into lines when parsing. */
  private received(buf: Buffer, n: number): void {
    this.bytes += n;
    if (!this.parse) { this.rest = ''; return; }
    const text = this.rest + buf.toString('latin1', 0, n);
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      let line = text.slice(start, nl);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      start = nl + 1;
      this.onLine?.(line);
      if (this.waiters.length) this.checkWaiters(line);
    }
    // Bound the partial line kept between chunks: nothing the peers send is longer than a few KB.
    this.rest = text.length - start > 65_536 ? '' : text.slice(start);
  }

  static open(port: number, name: string, timeoutMs = 30_000): Promise<Client> {
    return new Promise((resolve, reject) => {
      // Reads land in one buffer shared by every client (each is consumed before the callback returns):
      // no Buffer and no stream event per read, so that the generator, not the server, is the cheap side.
      let client: Client | undefined;
      const socket = connect({
        host: '127.0.0.1', port,
        onread: { buffer: READ_BUFFER, callback: (n: number, buf: Uint8Array) => { client?.received(buf as Buffer, n); return true; } },
      });
      const timer = setTimeout(() => { socket.destroy(); reject(new Error(`${name}: connect timed out after ${timeoutMs} ms`)); }, timeoutMs);
      socket.once('connect', () => { clearTimeout(timer); client = new Client(socket, name); resolve(client); });
      socket.once('error', (err) => { clearTimeout(timer); reject(err); });
    });
  }

  write(data: string): void { if (!this.closed) this.socket.write(data); }

  /** The first line (from now on) that satisfies pred; rejects on timeout or close. */
  waitFor(pred: (line: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
    if (this.closed) return Promise.reject(new Error(`${this.name}: closed while waiting for ${what}`));
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        pred, resolve, reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.push(w);
    });
  }

  private checkWaiters(line: string): void {
    for (let i = 0; i < this.waiters.length; i++) {
      const w = this.waiters[i]!;
      if (w.pred(line)) {
        this.waiters.splice(i, 1);
        clearTimeout(w.timer);
        w.resolve(line);
        return;
      }
    }
  }

  close(): void { this.socket.destroy(); }
}

/** Run `task` over items with at most `limit` at once, in order of start. */
export async function pool<T, R>(items: T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
