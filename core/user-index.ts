import { nameKey } from './parse.js';
import type { Session, SessionUser } from './session.js';

const EMPTY: ReadonlySet<Session> = new Set();

/** The logged-in sessions of each user, by name without regard to case. */
export class UserIndex {
  private readonly byUser = new Map<string, Set<Session>>();

  /** A session logged in as `name`; true when it is the user's first open session. */
  add(name: string, session: Session): boolean {
    const key = nameKey(name);
    let set = this.byUser.get(key);
    if (!set) this.byUser.set(key, (set = new Set()));
    const first = set.size === 0;
    set.add(session);
    return first;
  }

  /** A session's login ended; true when no session of the user is left. */
  remove(name: string, session: Session): boolean {
    const key = nameKey(name);
    const set = this.byUser.get(key);
    set?.delete(session);
    const last = !set || set.size === 0;
    if (set && last) this.byUser.delete(key);
    return last;
  }

  /** Open sessions of a user (any case). */
  of(name: string): ReadonlySet<Session> { return this.byUser.get(nameKey(name)) ?? EMPTY; }

  has(name: string): boolean { return this.byUser.has(nameKey(name)); }

  /** Users with at least one open session. */
  users(): SessionUser[] {
    const out: SessionUser[] = [];
    for (const set of this.byUser.values()) {
      const first = set.values().next().value as Session | undefined;
      if (first?.user) out.push(first.user);
    }
    return out;
  }
}
