import { Encoded, type Renderer } from './render.js';
import type { ServerEvent } from './events.js';
import type { Session } from './session.js';

/**
 * The one way events reach other sessions. Each event is encoded at most once per format however many
 * receive it. A multi-node deployment would put a bus behind this interface.
 */
export interface Delivery {
  toSessions(sessions: Iterable<Session>, event: ServerEvent, except?: Session): void;
  /** Every open session of the named users. */
  toUsers(names: Iterable<string>, event: ServerEvent, except?: Session): void;
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

  toSessions(sessions: Iterable<Session>, event: ServerEvent, except?: Session): void {
    const enc = new Encoded(event, this.renderer);
    let n = 0;
    for (const s of sessions) {
      if (s === except || s.closed) continue;
      s.write(enc.bytes(s.format));
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
        s.write(enc.bytes(s.format));
        n++;
      }
    }
    this.deliveries += n;
  }

  toAll(event: ServerEvent): void {
    this.toSessions(this.all(), event);
  }
}
