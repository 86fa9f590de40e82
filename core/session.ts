import type { Transport } from './transport.js';
import type { Format } from './render.js';
import type { Role, ServerEvent } from './events.js';
import { SharedConcat, type Outbox } from './outbox.js';
import type { Renderer } from './render.js';
import { Encoded } from './render.js';
import type { ListenerEntry } from './plugin-listeners.js';
import { throughReplyScope } from './reply-scope.js';

export interface SessionUser { id: number; name: string; role: Role }

/** What every session shares: one per server (not a set of fields and closures per connection). */
export interface SessionHost {
  readonly outbox: Outbox;
  readonly renderer: Renderer;
  /** Unread output past which a client is taken to be not reading (a rehash updates it). */
  readonly maxOutputBytes: number;
  /** The session is not reading its output: it is closed without its output. */
  overflow(session: Session): void;
}

/**
 * Per-session state that plugins keep on the session, declared by each plugin with declaration merging:
 *   declare module '../../core/session.js' { interface SessionData { away?: string } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface SessionData {}

let nextSessionId = 1;

/** One connection. Output is buffered and leaves once per event-loop turn, with a bound. */
export class Session {
  readonly id = nextSessionId++;
  format: Format = 'text';
  user?: SessionUser;
  readonly data: SessionData = {};
  closed = false;
  /** Why the session ended, once it has. */
  closeReason?: string;
  /** The plugin listener (ctx.listen) the session came in on; undefined on the line protocol's own. */
  listener?: ListenerEntry;
  /** Reply scopes open on this session (a labeled command running): only then is a write looked at (reply-scope.ts). */
  replyScopes = 0;

  private pending: (string | Buffer)[] = [];
  private pendingBytes = 0;

  constructor(readonly transport: Transport, private readonly host: SessionHost) {}

  get address(): string { return this.transport.remoteAddress; }
  get isAdmin(): boolean { return this.user?.role === 'admin'; }

  /** Send one event to this session. To send one event to many, use Delivery, which encodes it once. */
  send(event: ServerEvent): void {
    this.write(new Encoded(event, this.host.renderer).for(this));
  }

  /**
   * Queue already encoded output. What one turn produces is not judged (a large /history page is fine);
   * the backlog a client leaves unread from earlier turns is (see flushOutput). The hard cap here only
   * stops a runaway within a single turn.
   */
  write(data: string | Buffer): void {
    if (this.closed) return;
    if (this.replyScopes !== 0) data = throughReplyScope(this, data);
    if (data.length === 0) return;
    if (this.pending.length === 0) this.host.outbox.mark(this);
    this.pending.push(data);
    this.pendingBytes += data.length; // bytes for a Buffer; UTF-16 units for a string, close enough for a bound
    if (this.pendingBytes > this.host.maxOutputBytes * 4) this.host.overflow(this);
  }

  /**
   * Called by the outbox once per turn. A client that still has more than maxOutputBytes unread from
   * earlier turns is not reading: it is disconnected rather than buffered for without bound.
   */
  flushOutput(shared: SharedConcat = new SharedConcat()): void {
    if (this.pending.length === 0) return;
    if (this.transport.writableLength > this.host.maxOutputBytes) {
      this.host.overflow(this);
      return;
    }
    const data = shared.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.transport.write(data);
  }

  /**
   * Send what is waiting now and resolve once all of it has left for the network (true), or false if the
   * session closed first or did not take it within `timeoutMs` (it is then treated as not reading, and closed).
   * For output that must not be lost if the connection drops, sent a page at a time (kept direct messages).
   */
  async whenWritten(timeoutMs: number): Promise<boolean> {
    this.flushOutput();
    if (this.closed) return false;
    if (!this.transport.flushed) return true;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => { timer = setTimeout(resolve, timeoutMs, 'late'); });
    const outcome = await Promise.race([this.transport.flushed(), late]);
    clearTimeout(timer);
    if (outcome === 'late') this.host.overflow(this);
    return outcome === true && !this.closed;
  }

  get queuedOutputBytes(): number { return this.pendingBytes + this.transport.writableLength; }
}
