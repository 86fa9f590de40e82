import { connect, type Socket } from 'node:net';

export type JsonEvent = { type: string } & Record<string, any>;
type Matcher = string | ((e: JsonEvent) => boolean);

const DEFAULT_TIMEOUT = 5_000;

/**
 * A protocol client for tests: a real TCP connection that keeps every line and event it received, and
 * waits for events (never sleeps). Events are consumed in order through a cursor: `next` finds the first
 * matching event after the previous match.
 */
export class TestClient {
  readonly lines: string[] = [];
  readonly events: JsonEvent[] = [];
  private buffer = '';
  private cursor = 0;
  private waiters: (() => void)[] = [];
  closed = false;
  readonly closedPromise: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let i: number;
      while ((i = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 1);
        this.lines.push(line);
        if (line.startsWith('{')) {
          try { this.events.push(JSON.parse(line)); } catch { /* a text line that starts with { */ }
        }
      }
      this.wake();
    });
    this.closedPromise = new Promise((resolve) => socket.on('close', () => { this.closed = true; this.wake(); resolve(); }));
    socket.on('error', () => {});
  }

  /** `localAddress` (e.g. 127.0.0.2) makes the client come from another loopback address. */
  static connect(port: number, host = '127.0.0.1', localAddress?: string): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host, ...(localAddress ? { localAddress } : {}) }, () => resolve(new TestClient(socket)));
      socket.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Wait until `ready()` returns a value, or fail after the timeout with `what` in the message. */
  async until<T>(ready: () => T | undefined, what: string, timeout = DEFAULT_TIMEOUT): Promise<T> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const value = ready();
      if (value !== undefined) return value;
      if (this.closed) throw new Error(`connection closed while waiting for ${what}; last lines:\n${this.lines.slice(-8).join('\n')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; last lines:\n${this.lines.slice(-8).join('\n')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  send(line: string): void { this.socket.write(line + '\n'); }
  write(data: string | Buffer): void { this.socket.write(data); }

  /** The next event after the cursor that matches (a type name, or a predicate); moves the cursor past it. */
  next(match: Matcher, timeout?: number): Promise<JsonEvent> {
    const pred = typeof match === 'string' ? (e: JsonEvent) => e.type === match : match;
    return this.until(() => {
      for (let i = this.cursor; i < this.events.length; i++) {
        if (pred(this.events[i]!)) { this.cursor = i + 1; return this.events[i]; }
      }
      return undefined;
    }, typeof match === 'string' ? `event ${match}` : `event matching ${match.toString().slice(0, 120)}`, timeout);
  }

  /** Send a command and wait for its final reply: `ok`/`error` for it, or an event of `replyType`. */
  async request(line: string, replyType = 'ok', extra?: (e: JsonEvent) => boolean): Promise<JsonEvent> {
    const name = line.startsWith('/') ? line.slice(1).split(' ')[0]!.toLowerCase() : 'msg';
    this.send(line);
    return this.next((e) => (e.type === 'error' && (e.command === undefined || e.command === name || name === 'msg'))
      || (e.type === replyType && (!extra || extra(e))));
  }

  /** Like request, but fails unless the reply is not an error. */
  async ok(line: string, replyType = 'ok', extra?: (e: JsonEvent) => boolean): Promise<JsonEvent> {
    const reply = await this.request(line, replyType, extra);
    if (reply.type === 'error') throw new Error(`${line} failed: ${reply.code}: ${reply.text}`);
    return reply;
  }

  /** Send a command expecting an error with this code. */
  async fails(line: string, code: string): Promise<JsonEvent> {
    const reply = await this.request(line, '__never__');
    if (reply.code !== code) throw new Error(`${line}: expected ${code}, got ${reply.code}: ${reply.text}`);
    return reply;
  }

  /** Wait for a raw line (text format) matching a pattern, scanning every line received. */
  line(pattern: RegExp, timeout?: number): Promise<string> {
    return this.until(() => this.lines.find((l) => pattern.test(l)), `a line matching ${pattern}`, timeout);
  }

  /** Whether an event matching arrived after the cursor (no waiting). */
  has(match: Matcher): boolean {
    const pred = typeof match === 'string' ? (e: JsonEvent) => e.type === match : match;
    return this.events.slice(this.cursor).some(pred);
  }

  /** Round trip: everything the server sent before this reply has arrived once it returns. */
  async sync(): Promise<void> {
    const token = `sync-${Math.random().toString(36).slice(2)}`;
    this.send(`/ping ${token}`);
    await this.until(() => this.lines.find((l) => l.includes(token)), `pong ${token}`);
  }

  waitClosed(timeout = DEFAULT_TIMEOUT): Promise<void> {
    return this.until(() => (this.closed ? true : undefined), 'the server to close the connection', timeout).then(() => {});
  }

  close(): void { this.socket.destroy(); }
}
