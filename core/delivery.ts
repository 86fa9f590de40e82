import { Encoded, type Renderer } from './render.js';
import type { ServerEvent } from './events.js';
import type { Session } from './session.js';

/**
 * The one way events reach sessions other than through a command's own reply. Each event is encoded at
 * most once per format however many receive it. A multi-node deployment would put a bus behind this
 * interface. "The members of a channel" is the channels plugin's business: it hands their sessions to
 * `toSessions`.
 */
export interface Delivery {
  toSession(session: Session, event: ServerEvent): void;
  /** Every open session of a user. */
  toUser(name: string, event: ServerEvent, except?: Session): void;
  /** Every open session of the named users. */
  toUsers(names: Iterable<string>, event: ServerEvent, except?: Session): void;
  toSessions(sessions: Iterable<Session>, event: ServerEvent, except?: Session): void;
  /**
   * The same, for a notice that may arrive a few event-loop turns late (a big channel's coalesced `crowd`):
   * written to at most a slice of the sessions per turn, so a notice to ten thousand people does not hold
   * up everyone's chat while their sockets are written. Such notices keep their order among themselves,
   * not with the events delivered meanwhile.
   */
  toSessionsGradually(sessions: Iterable<Session>, event: ServerEvent, except?: Session): void;
  /** Every open session, logged in or not. */
  toAll(event: ServerEvent): void;
}

/** Sessions written per turn by toSessionsGradually: ~1–2 ms of socket writes. */
const GRADUAL_SLICE = 256;

export class LocalDelivery implements Delivery {
  /** Deliveries made (one per session reached), for /stats and benchmarks. */
  deliveries = 0;
  /** Gradual deliveries under way, oldest first: each its encoded event and the sessions still to reach. */
  private readonly gradual: { enc: Encoded; sessions: Session[]; next: number }[] = [];

  constructor(
    private readonly renderer: Renderer,
    private readonly sessionsOf: (name: string) => Iterable<Session>,
    private readonly all: () => Iterable<Session>,
  ) {}

  toSession(session: Session, event: ServerEvent): void {
    if (session.closed) return;
    session.send(event);
    this.deliveries++;
  }

  toUser(name: string, event: ServerEvent, except?: Session): void {
    this.toSessions(this.sessionsOf(name), event, except);
  }

  toSessions(sessions: Iterable<Session>, event: ServerEvent, except?: Session): void {
    const enc = new Encoded(event, this.renderer);
    let n = 0;
    for (const s of sessions) {
      if (s === except || s.closed) continue;
      s.write(enc.for(s));
      n++;
    }
    this.deliveries += n;
  }

  toSessionsGradually(sessions: Iterable<Session>, event: ServerEvent, except?: Session): void {
    const list: Session[] = [];
    for (const s of sessions) if (s !== except && !s.closed) list.push(s);
    if (list.length <= GRADUAL_SLICE && this.gradual.length === 0) { this.toSessions(list, event); return; }
    this.gradual.push({ enc: new Encoded(event, this.renderer), sessions: list, next: 0 });
    if (this.gradual.length === 1) setImmediate(writeSlice, this);
  }

  /** One turn's slice of the oldest gradual delivery (and of the next ones while the slice lasts). */
  writeSlice(): void {
    let budget = GRADUAL_SLICE;
    while (budget > 0 && this.gradual.length > 0) {
      const g = this.gradual[0]!;
      const end = Math.min(g.sessions.length, g.next + budget);
      for (let i = g.next; i < end; i++) {
        const s = g.sessions[i]!;
        if (s.closed) continue;
        s.write(g.enc.for(s));
        this.deliveries++;
      }
      budget -= end - g.next;
      g.next = end;
      if (g.next === g.sessions.length) this.gradual.shift();
    }
    if (this.gradual.length > 0) setImmediate(writeSlice, this);
  }

  toUsers(names: Iterable<string>, event: ServerEvent, except?: Session): void {
    const enc = new Encoded(event, this.renderer);
    let n = 0;
    for (const name of names) {
      for (const s of this.sessionsOf(name)) {
        if (s === except || s.closed) continue;
        s.write(enc.for(s));
        n++;
      }
    }
    this.deliveries += n;
  }

  toAll(event: ServerEvent): void {
    this.toSessions(this.all(), event);
  }
}

function writeSlice(delivery: LocalDelivery): void { delivery.writeSlice(); }
