import { event } from './events.js';
import type { Session } from './session.js';

/** Closes a session that has not logged in within server.loginTimeoutSeconds (the console has no limit). */
export class LoginTimers {
  private readonly timers = new WeakMap<Session, NodeJS.Timeout>();

  constructor(private readonly close: (session: Session, reason: string) => void) {}

  start(session: Session, seconds: number): void {
    if (seconds <= 0 || session.address === 'console') return;
    const t = setTimeout(() => {
      if (session.user || session.closed) return;
      session.send(event('error', { code: 'NOT_LOGGED_IN', text: `No login within ${seconds} seconds; closing.` }));
      this.close(session, 'login timeout');
    }, seconds * 1000);
    t.unref();
    this.timers.set(session, t);
  }

  /** Logged in, or closed: no timeout any more. */
  stop(session: Session): void { clearTimeout(this.timers.get(session)); }
}
