import { nameKey, type Session } from '../../core/index.js';

/** One collator for every comparison: `localeCompare` builds one per call, 50× slower over a sort of thousands. */
const collator = new Intl.Collator('en', { sensitivity: 'base' });

/** The order members are listed in: by name as people read it (case and accents aside), then by key, so that it is total. */
export function compareNames(a: string, b: string): number {
  return collator.compare(a, b) || (nameKey(a) < nameKey(b) ? -1 : nameKey(a) > nameKey(b) ? 1 : 0);
}

interface Entry { name: string; sessions: number; bot: boolean }

/**
 * Who is in a channel now — users with an open session and seated bots — kept sorted as they come and go,
 * so that the first page of names (the join reply) and any page after a cursor (`/who #ch after=`) cost
 * the page, not the channel: a login into a channel of 10,000 must not sort 10,000 names.
 */
export class Roster {
  /** Sorted by compareNames. */
  private readonly names: string[] = [];
  private readonly entries = new Map<string, Entry>();

  get size(): number { return this.names.length; }

  has(name: string): boolean { return this.entries.has(nameKey(name)); }

  isBot(name: string): boolean { return this.entries.get(nameKey(name))?.bot === true; }

  /** One more session (or the bot's seat) for the name; added to the order on its first. */
  add(name: string, bot = false): void {
    const key = nameKey(name);
    const entry = this.entries.get(key);
    if (entry) { entry.sessions++; return; }
    this.entries.set(key, { name, sessions: 1, bot });
    this.names.splice(this.position(name), 0, name);
  }

  /** One session fewer; the name leaves the order with its last. */
  remove(name: string): void {
    const key = nameKey(name);
    const entry = this.entries.get(key);
    if (!entry) return;
    if (--entry.sessions > 0) return;
    this.entries.delete(key);
    const i = this.position(entry.name);
    if (this.names[i] !== undefined && nameKey(this.names[i]!) === key) this.names.splice(i, 1);
  }

  clear(): void {
    this.names.length = 0;
    this.entries.clear();
  }

  /** Up to `limit` names after `after` (from the first without it), and whether there are more. */
  page(limit: number, after?: string): { names: string[]; more: boolean } {
    let from = 0;
    if (after !== undefined) {
      from = this.position(after);
      if (this.names[from] !== undefined && compareNames(this.names[from]!, after) === 0) from++;
    }
    const names = this.names.slice(from, from + limit);
    return { names, more: from + names.length < this.names.length };
  }

  all(): readonly string[] { return this.names; }

  /** Where `name` is or would go (the first index whose name does not sort before it). */
  private position(name: string): number {
    let lo = 0;
    let hi = this.names.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareNames(this.names[mid]!, name) < 0) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
}

/**
 * The open sessions of a channel's joined members, a Set as everything that delivers to a channel
 * expects, that keeps the channel's roster in step: each session counts for its user's name.
 */
export class PresentSessions extends Set<Session> {
  /** The name each session was counted under (a closing session may have lost its user already). */
  private readonly counted = new Map<Session, string>();

  constructor(private readonly roster: Roster) { super(); }

  override add(s: Session): this {
    if (super.has(s)) return this;
    const name = s.user?.name;
    if (name === undefined) return this; // only logged-in sessions are members' sessions
    super.add(s);
    this.counted.set(s, name);
    this.roster.add(name);
    return this;
  }

  override delete(s: Session): boolean {
    if (!super.delete(s)) return false;
    const name = this.counted.get(s);
    this.counted.delete(s);
    if (name !== undefined) this.roster.remove(name);
    return true;
  }

  override clear(): void {
    for (const name of this.counted.values()) this.roster.remove(name);
    this.counted.clear();
    super.clear();
  }
}

/** The bots seated in a channel (by lowercase name), a Map that keeps the roster in step. */
export class SeatedBots extends Map<string, string> {
  private roster: Roster | undefined;

  constructor(roster: Roster) {
    super();
    this.roster = roster;
  }

  override set(key: string, name: string): this {
    // Map's constructor calls set before the roster is assigned; there is nothing to count then.
    if (this.roster && !super.has(key)) this.roster.add(name, true);
    return super.set(key, name);
  }

  override delete(key: string): boolean {
    const name = super.get(key);
    if (!super.delete(key)) return false;
    if (name !== undefined) this.roster?.remove(name);
    return true;
  }

  override clear(): void {
    for (const name of super.values()) this.roster?.remove(name);
    super.clear();
  }
}
