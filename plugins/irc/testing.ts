/** The IRC plugin's own test helpers: a server with the listener, a raw IRC line client, irc-framework. */
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { PASSWORD, account, rawSocket, startChat, type TestDatabaseKind, type TestServer } from '../../core/testing/index.js';
import type { IrcService } from './api.js';

/** A chat server (auth, history, channels, and `more`) with the IRC listener on a free port. */
export function startIrc(db: TestDatabaseKind, more: Record<string, Record<string, unknown>> = {}, irc: Record<string, unknown> = {}): Promise<TestServer> {
  return startChat(db, { ...more, irc: { port: 0, ...irc } });
}

export function ircPort(server: TestServer): number {
  return (server.server.service('irc') as IrcService).port();
}

/** A raw IRC connection: lines in order, waited for by pattern (a cursor moves past each match). */
export class RawIrc {
  readonly lines: string[] = [];
  private cursor = 0;
  private buf = '';
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buf += d;
      let i: number;
      while ((i = this.buf.indexOf('\n')) >= 0) {
        this.lines.push(this.buf.slice(0, i).replace(/\r$/, ''));
        this.buf = this.buf.slice(i + 1);
      }
      this.wake();
    });
    socket.on('close', () => { this.closed = true; this.wake(); });
    socket.on('error', () => {});
  }

  static async connect(server: TestServer): Promise<RawIrc> {
    return new RawIrc(await rawSocket(ircPort(server)));
  }

  /** A new account `name`, logged in with PASS (`caps` requested first), once its auto-join's NAMES came. */
  static async loggedIn(server: TestServer, name: string, caps = ''): Promise<RawIrc> {
    await account(server, name);
    const c = await RawIrc.connect(server);
    if (caps) c.send('CAP LS 302', `CAP REQ :${caps}`, 'CAP END');
    await c.register(name, `:${name}:${PASSWORD}`);
    await c.next(new RegExp(` 366 ${name} #general `));
    return c;
  }

  private wake(): void { const w = this.waiters; this.waiters = []; for (const f of w) f(); }

  send(...lines: string[]): void { this.socket.write(lines.map((l) => l + '\r\n').join('')); }

  /** The next line after the cursor matching the pattern. */
  async next(pattern: RegExp, timeout = 10_000): Promise<string> {
    const deadline = Date.now() + timeout;
    for (;;) {
      for (let i = this.cursor; i < this.lines.length; i++) {
        if (pattern.test(this.lines[i]!)) { this.cursor = i + 1; return this.lines[i]!; }
      }
      if (this.closed) throw new Error(`closed while waiting for ${pattern}; last lines:\n${this.lines.slice(-8).join('\n')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${pattern}; last lines:\n${this.lines.slice(-8).join('\n')}`);
      await new Promise<void>((r) => { const t = setTimeout(r, left); this.waiters.push(() => { clearTimeout(t); r(); }); });
    }
  }

  /** Resolves once the server has closed the connection. */
  async whenClosed(timeout = 10_000): Promise<void> {
    const deadline = Date.now() + timeout;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('the server did not close the connection');
      await new Promise<void>((r) => { const t = setTimeout(r, left); this.waiters.push(() => { clearTimeout(t); r(); }); });
    }
  }

  /** Register with NICK/USER (and PASS when given), waiting for 001. */
  async register(nick: string, pass?: string): Promise<void> {
    if (pass !== undefined) this.send(`PASS ${pass}`);
    this.send(`NICK ${nick}`, `USER ${nick} 0 * :${nick}`);
    await this.next(/ 001 /);
  }

  close(): void { this.socket.destroy(); }
}

/** The part of irc-framework's Client the tests use (the library ships no types). */
export interface FrameworkClient {
  connect(options: Record<string, unknown>): void;
  on(event: string, fn: (e: any) => void): void;
  join(channel: string): void;
  part(channel: string, message?: string): void;
  say(target: string, text: string, tags?: Record<string, string>): void;
  action(target: string, text: string): void;
  quit(message?: string): void;
  raw(line: string): void;
  /** Ask for a capability beyond irc-framework's own list (before connecting). */
  requestCap(cap: string | string[]): void;
  user: { nick: string };
  network: { cap: { enabled: string[] } };
  connection: { end(): void };
}

const require = createRequire(import.meta.url);
const IRC = require('irc-framework') as { Client: new (options?: Record<string, unknown>) => FrameworkClient };

/** An irc-framework client that records what it receives, for the tests to wait on. */
export class Framework {
  readonly events: { name: string; e: any }[] = [];
  private waiters: (() => void)[] = [];
  readonly client: FrameworkClient;

  constructor() {
    this.client = new IRC.Client({ auto_reconnect: false, ping_interval: 0, ping_timeout: 0 });
    for (const name of ['registered', 'join', 'part', 'quit', 'privmsg', 'action', 'notice', 'topic', 'userlist', 'irc error', 'close', 'loggedin', 'sasl failed', 'invite', 'whois', 'channel list']) {
      this.client.on(name, (e) => { this.events.push({ name, e }); this.wake(); });
    }
  }

  private wake(): void { const w = this.waiters; this.waiters = []; for (const f of w) f(); }

  /** Connect to the server's IRC port with irc-framework's options (nick, account, password…). */
  connect(server: TestServer, options: Record<string, unknown>): this {
    this.client.connect({ host: '127.0.0.1', port: ircPort(server), username: 'test', gecos: 'test', ...options });
    return this;
  }

  /** The first recorded event of that name matching `pred`. */
  async wait(name: string, pred: (e: any) => boolean = () => true, timeout = 10_000): Promise<any> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const hit = this.events.find((x) => x.name === name && pred(x.e));
      if (hit) return hit.e;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${name}; got: ${this.events.map((x) => x.name).join(', ')}`);
      await new Promise<void>((r) => { const t = setTimeout(r, left); this.waiters.push(() => { clearTimeout(t); r(); }); });
    }
  }

  close(): void { try { this.client.quit(); } catch { /* closed */ } this.client.connection?.end(); }
}
