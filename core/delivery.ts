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
  /** Every open session, logged in or not. */
  toAll(event: ServerEvent): void;
}

export class LocalDelivery implements Delivery {
  /** Deliveries made (one per session reached), for /stats and benchmarks. */
  deliveries = 0;

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
