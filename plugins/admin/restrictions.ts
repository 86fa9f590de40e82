import { WhiskrError, nameKey, type Clock } from '../../core/index.js';
import type { Restriction, RestrictionKind } from './api.js';
import type { AdminStore } from './store.js';
import { readableTime } from './text.js';

/** What a restricted user is told, and with which code, per kind. */
const REFUSAL: Record<RestrictionKind, { code: 'BANNED' | 'MUTED'; state: string; untilLifted: string }> = {
  ban: { code: 'BANNED', state: 'banned', untilLifted: 'permanently' },
  mute: { code: 'MUTED', state: 'muted', untilLifted: 'until an admin unmutes you' },
};

/** What a restricted user is told: until when, by whom and why. */
export function refusalText(kind: RestrictionKind, r: Restriction): string {
  const { state, untilLifted } = REFUSAL[kind];
  return `You are ${state} ${r.until === null ? untilLifted : `until ${readableTime(r.until)}`} (by ${r.by})${r.text ? `: ${r.text}` : '.'}`;
}

/**
 * Bans and mutes: one mechanism, two kinds. The running ones are held in memory (the database keeps
 * them across restarts), so the checks on every login and every message cost no query.
 */
export class Restrictions {
  private readonly byKind: Record<RestrictionKind, Map<string, Restriction>> = { ban: new Map(), mute: new Map() };

  /** A restriction was set or lifted here (a cluster tells the other nodes: plugins/admin/index.ts). */
  changed: (kind: RestrictionKind, user: string) => void = () => {};

  constructor(private readonly store: AdminStore, private readonly clock: Clock) {}

  /** Read one user's restriction again from the database (another node set or lifted it). */
  async refresh(kind: RestrictionKind, user: string): Promise<void> {
    const r = await this.store.get(kind, user);
    if (r && (r.until === null || r.until > this.clock.now())) this.byKind[kind].set(nameKey(user), r);
    else this.byKind[kind].delete(nameKey(user));
  }

  /** Load the running restrictions (at setup). */
  async load(): Promise<void> {
    const now = this.clock.now();
    for (const kind of ['ban', 'mute'] as const) {
      const map = this.byKind[kind];
      map.clear();
      for (const r of await this.store.running(kind, now)) map.set(nameKey(r.user), r);
    }
  }

  /** The running restriction of a user, if any; an ended one is dropped on the way (synchronous: the hot path). */
  running(kind: RestrictionKind, user: string): Restriction | undefined {
    const map = this.byKind[kind];
    const key = nameKey(user);
    const r = map.get(key);
    if (!r) return undefined;
    if (r.until !== null && r.until <= this.clock.now()) {
      map.delete(key);
      return undefined;
    }
    return r;
  }

  /** Every running restriction of a kind, oldest first. */
  list(kind: RestrictionKind): Restriction[] {
    return [...this.byKind[kind].keys()].map((key) => this.running(kind, key)).filter((r): r is Restriction => r !== undefined)
      .sort((x, y) => x.created - y.created);
  }

  async set(kind: RestrictionKind, r: Restriction): Promise<void> {
    await this.store.put(kind, r);
    this.byKind[kind].set(nameKey(r.user), r);
    this.changed(kind, r.user);
  }

  /** Lift a user's restriction; the record that was lifted (running or ended), if any. */
  async lift(kind: RestrictionKind, user: string): Promise<Restriction | undefined> {
    const key = nameKey(user);
    const stored = (await this.store.get(kind, user)) ?? this.byKind[kind].get(key);
    this.byKind[kind].delete(key);
    await this.store.remove(kind, user);
    this.changed(kind, user);
    return stored;
  }

  /** The check before a login (ban) or a text others see (mute): BANNED or MUTED, saying until when and why. */
  refuse(kind: RestrictionKind, user: string): void {
    const r = this.running(kind, user);
    if (r) throw new WhiskrError(REFUSAL[kind].code, refusalText(kind, r));
  }

  /**
   * Store a ban from the legacy importer; does not disconnect anyone. Columns are bounded: a legacy record
   * is cut to fit rather than refused. The same ban again, or an older one than stored, changes nothing.
   */
  async importBan(given: Restriction): Promise<boolean> {
    if (!given.user || given.user.length > 64) throw new WhiskrError('INVALID_NAME', `Cannot import a ban for ${JSON.stringify(given.user.slice(0, 80))}: names are 1 to 64 characters here.`);
    const ban: Restriction = { ...given, by: given.by.slice(0, 64), text: given.text.slice(0, 2000) };
    const existing = await this.store.get('ban', ban.user);
    if (existing && existing.created >= ban.created && (existing.created !== ban.created || existing.until === ban.until)) return false;
    await this.set('ban', ban);
    return true;
  }

  /** Drop ended restrictions from memory and the database (the checks already ignore them); how many rows went. */
  async sweep(): Promise<number> {
    this.list('ban');
    this.list('mute');
    return this.store.purgeExpired(this.clock.now());
  }
}
