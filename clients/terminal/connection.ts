import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { LineDecoder } from '../../core/framing.js';
import { is, keyOf, parseEvent, type WireEvent } from './events.js';

export interface Endpoint { host: string; port: number; tls?: boolean; insecure?: boolean }

/** The largest line the client accepts from the server (a long history page); longer ones are dropped. */
export const MAX_SERVER_LINE = 16 * 1024 * 1024;
/** Requests on the wire at once (the server runs a session's lines one at a time; more would only queue there). */
export const MAX_IN_FLIGHT = 6;
/** WHISKR_CLIENT_TRACE=1 writes the traffic to stderr, for debugging. */
const TRACE = Boolean(process.env.WHISKR_CLIENT_TRACE);

export class ConnectionError extends Error {}

/** What a request resolves with: its final reply (if it could be told apart) and every event of its reply. */
export interface Reply { reply?: WireEvent; events: WireEvent[] }

interface Pending {
  name: string;
  line: string;
  match: (e: WireEvent) => boolean;
  reply?: WireEvent;
  events: WireEvent[];
  tag: unknown;
  resolve: (r: Reply) => void;
  reject: (err: Error) => void;
}

/** Event types the server may send at any time: never taken as the reply to an unrelated command. */
const UNSOLICITED = new Set(['message', 'join', 'part', 'crowd', 'presence', 'topic', 'invite', 'notice', 'kicked', 'banned', 'shutdown', 'welcome']);

/**
 * Whether an event of a request's labeled reply is its final reply to command `name` (docs/protocol.md,
 * "What the server sends"), for a user named `me`: the `join` of a /join, not the `history` that follows it.
 */
export function replyMatcher(name: string, me: string | undefined, line: string): (e: WireEvent) => boolean {
  const mine = (u: unknown) => typeof u === 'string' && me !== undefined && keyOf(u) === keyOf(me);
  const word1 = line.split(' ')[1] ?? '';
  return (e) => {
    if (e.type === 'error') return name === 'msg' ? e.command === undefined || e.command === 'msg' : e.command === name || e.command === undefined;
    if (e.type === 'ok') return e.command === name;
    switch (name) {
      case 'login': case 'register': case 'resume': return e.type === 'login';
      case 'join': return is(e, 'join') && (me === undefined || mine(e.user));
      case 'channel': return is(e, 'join') && mine(e.user) && keyOf(e.channel) === keyOf(line.split(' ')[2] ?? '');
      case 'part': return is(e, 'part') && mine(e.user);
      case 'msg': case 'me': return is(e, 'message') && mine(e.from);
      case 'away': return is(e, 'presence') && mine(e.user);
      case 'topic': return is(e, 'topic') && keyOf(e.channel) === keyOf(word1);
      case 'quit': return e.type === 'bye';
      // Not the join's replay that may still be on its way when a big channel's first page is asked for.
      case 'who': return e.type === 'who';
      case 'ping': return e.type === 'pong';
      default: return !UNSOLICITED.has(e.type);
    }
  };
}

/**
 * One connection to a server in the json format: line framing with a bound, and requests matched to
 * their replies by request labels (docs/protocol.md, "Request labels"): each request goes out as
 * `@label=<n> <line>`, every event of its reply comes back with that label, and its `end` says the reply is
 * complete, so the events that follow a reply (the history after a join) are never taken for the reply
 * to the next request, and another user's message meanwhile is never taken for part of one.
 */
export class Connection {
  private readonly decoder = new LineDecoder(MAX_SERVER_LINE);
  /** Requests on the wire, by label. */
  private readonly pending = new Map<string, Pending>();
  /** Requests waiting for room: at most MAX_IN_FLIGHT are on the wire, so a resync never floods the server's input queue. */
  private readonly queued: { send: () => void; reject: (err: Error) => void }[] = [];
  private labelSeq = 0;
  private closedReason?: string;
  /** Set after login, so replies can be told from other users' events. */
  me?: string;
  onEvent: (e: WireEvent, request?: { tag: unknown; isReply: boolean }) => void = () => {};
  onClose: (reason: string) => void = () => {};

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk)) if (frame.kind === 'line') this.line(frame.line);
    });
    socket.on('error', (err) => this.closed(err.message));
    socket.on('close', () => this.closed('connection closed'));
  }

  /** Connect, wait for the greeting, switch to json. */
  static async open(ep: Endpoint, timeoutMs = 10_000): Promise<Connection> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const onError = (err: Error) => { clearTimeout(timer); s.destroy(); reject(new ConnectionError(describeSocketError(err, ep))); };
      const timer = setTimeout(() => onError(new Error('timed out')), timeoutMs);
      const ready = () => { clearTimeout(timer); s.off('error', onError); resolve(s); };
      const s: Socket = ep.tls
        ? tlsConnect({ host: ep.host, port: ep.port, servername: isIP(ep.host) ? undefined : ep.host, rejectUnauthorized: !ep.insecure }, ready)
        : netConnect({ host: ep.host, port: ep.port }, ready);
      s.once('error', onError);
    });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    const conn = new Connection(socket);
    try {
      await conn.greeting(timeoutMs);
      const { reply } = await conn.request('/format json', { timeoutMs });
      if (reply?.type !== 'ok') throw new ConnectionError('the server did not switch to the json format');
    } catch (err) {
      conn.close();
      throw err;
    }
    return conn;
  }

  private greeted?: { resolve: () => void; reject: (err: Error) => void };
  private greeting(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.greeted = undefined; reject(new ConnectionError('the server did not greet us')); }, timeoutMs);
      this.greeted = {
        resolve: () => { clearTimeout(timer); resolve(); },
        reject: (err) => { clearTimeout(timer); reject(err); },
      };
    });
  }

  get open(): boolean { return this.closedReason === undefined; }

  /**
   * Send a command line and wait for the end of its reply. `tag` comes back with every event of the reply,
   * and the final reply is flagged, so the caller can tell them from other events.
   */
  request(line: string, opts: { tag?: unknown; timeoutMs?: number } = {}): Promise<Reply> {
    if (!this.open) return Promise.reject(new ConnectionError(this.closedReason ?? 'not connected'));
    const name = line.startsWith('/') && !line.startsWith('//') ? line.slice(1).split(' ')[0]!.toLowerCase() : 'msg';
    return new Promise<Reply>((resolve, reject) => {
      const send = () => {
        const label = `r${++this.labelSeq}`;
        const timer = setTimeout(() => this.closed(`no answer from the server to /${name} in time`), opts.timeoutMs ?? 30_000);
        this.pending.set(label, {
          name, line, match: replyMatcher(name, this.me, line), events: [], tag: opts.tag,
          resolve: (r) => { clearTimeout(timer); resolve(r); },
          reject: (err) => { clearTimeout(timer); reject(err); },
        });
        if (TRACE) process.stderr.write(`>> ${line}\n`);
        this.socket.write(`@label=${label} ${line}\n`);
      };
      if (this.pending.size < MAX_IN_FLIGHT && this.queued.length === 0) send();
      else this.queued.push({ send, reject });
    });
  }

  close(): void {
    this.socket.destroy();
    this.closed('closed by the client');
  }

  private line(line: string): void {
    if (TRACE) process.stderr.write(`<< ${line}\n`);
    if (this.greeted) { const g = this.greeted; this.greeted = undefined; g.resolve(); if (!line.startsWith('{')) return; }
    const e = parseEvent(line);
    if (!e) return; // a text line (before /format json took effect)
    const label = typeof e.label === 'string' ? e.label : undefined;
    const request = label === undefined ? undefined : this.pending.get(label);
    if (!request) { this.onEvent(e); return; }
    if (e.type === 'end') {
      this.pending.delete(label!);
      request.resolve({ reply: request.reply, events: request.events });
      while (this.queued.length > 0 && this.pending.size < MAX_IN_FLIGHT && this.open) this.queued.shift()!.send();
      return;
    }
    delete e.label;
    request.events.push(e);
    const isReply = !request.reply && request.match(e);
    if (isReply) request.reply = e;
    this.onEvent(e, { tag: request.tag, isReply });
  }

  private closed(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.socket.destroy();
    const err = new ConnectionError(reason);
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(err);
    for (const q of this.queued.splice(0)) q.reject(err);
    if (this.greeted) { this.greeted.reject(err); this.greeted = undefined; }
    this.onClose(reason);
  }
}

function describeSocketError(err: Error & { code?: string }, ep: Endpoint): string {
  const where = `${ep.host}:${ep.port}`;
  switch (err.code) {
    case 'ECONNREFUSED': return `nothing is listening on ${where}`;
    case 'ENOTFOUND': case 'EAI_AGAIN': return `cannot resolve ${ep.host}`;
    case 'ETIMEDOUT': return `${where} does not answer`;
    default: return `${where}: ${err.message}`;
  }
}
