import { LineDecoder } from './framing.js';
import { FRAMING, type SocketTransport } from './transport.js';
import type { Server } from './server.js';
import type { Session } from './session.js';

/**
 * Lines framed from one connection per event-loop turn: a chunk of 64 KB of LF is 65,536 lines, and
 * framing them all at once would hold every other session back. The rest waits for the next turn, unread.
 */
const FRAMES_PER_TURN = 256;

/** A socket's input side: bytes → lines → the session's input queue. Handlers bound once per connection. */
export class Connection {
  private readonly decoder: LineDecoder;
  private scheduled = false;
  constructor(
    private readonly server: Server,
    private readonly session: Session,
    private readonly transport: SocketTransport,
    maxLineBytes: number,
  ) {
    this.decoder = new LineDecoder(maxLineBytes);
    this.onData = this.onData.bind(this);
    this.onClose = this.onClose.bind(this);
    this.frameMore = this.frameMore.bind(this);
    // Not at once: the queue resumes from within its own run, and framing there would never end the turn.
    transport.onInputResumed = () => this.later();
  }

  onData(chunk: Buffer): void {
    this.server.flushIfLate();
    this.decoder.feed(chunk);
    this.frame();
  }

  /** Frame what is held, up to the turn's share; what is left waits, with reading paused. */
  private frame(): void {
    for (let n = 0; n < FRAMES_PER_TURN; n++) {
      // Closed: nothing more runs. Input paused: the queue is full enough; it calls back when it drains.
      if (this.session.closed || this.transport.inputPaused) return;
      const frame = this.decoder.next();
      if (!frame) { this.transport.release(FRAMING); return; }
      this.server.input(this.session, frame.kind === 'line' ? { line: frame.line } : { error: frame.code });
    }
    if (!this.decoder.holding) { this.transport.release(FRAMING); return; }
    this.transport.hold(FRAMING);
    this.later();
  }

  private later(): void {
    if (this.scheduled || !this.decoder.holding) return;
    this.scheduled = true;
    setImmediate(this.frameMore);
  }

  private frameMore(): void {
    this.scheduled = false;
    this.frame();
  }

  onClose(): void {
    this.server.closeSession(this.session, 'disconnect');
    this.server.release(this.session);
  }
}