import { nameKey, type ServerEvent, type Session } from '../../core/index.js';
import type { ChannelSummary } from './api.js';
import type { ChannelRecord } from './store.js';
import { PresentSessions, Roster, SeatedBots } from './roster.js';

/** A user's place in a channel: joined, or (private channels) allowed in after an invite. */
export interface Membership { name: string; joined: boolean }

/**
 * A channel as the server holds it in memory. Membership is loaded from the database at start and
 * written through on change; `sessions` holds the open sessions of the joined members, so a message is
 * one encode and one loop, with no database round trip.
 */
export class Channel {
  readonly key: string;
  topic: string;
  topicBy: string | null;
  /** Users by lowercase name (persistent). Change it through setUser / deleteUser, which keep the count. */
  readonly users = new Map<string, Membership>();
  private joinedUsers = 0;
  /** Bots invited with /channel invite, by lowercase name (persistent; present only while registered). */
  readonly invitedBots = new Map<string, string>();
  /** Who is here now, sorted: the users of `sessions` and the `bots` (pages of it cost the page). */
  readonly roster = new Roster();
  /** Bots sitting in the channel now, by lowercase name. */
  readonly bots = new SeatedBots(this.roster);
  /** Open sessions of the joined users. */
  readonly sessions: Set<Session> = new PresentSessions(this.roster);
  /** Since when (server clock) nobody has been in it: no user, no bot. Undefined while someone is. */
  emptySince: number | undefined;
  /** Joins being written to the database (the channel is not empty for reclaiming while one is). */
  joining = 0;
  /** Messages said in it since it was loaded: a replay read before the last one is out of date. */
  said = 0;
  /** The replay after a join, shared by the joins that come while nothing is said (see ChannelState.replay). */
  replayCache?: { said: number; at: number; source: unknown; history: Promise<ServerEvent | undefined> };

  constructor(readonly id: number, readonly name: string, readonly isPrivate: boolean, readonly owner: string | null, topic: string, topicBy: string | null) {
    this.key = nameKey(name);
    this.topic = topic;
    this.topicBy = topicBy;
  }

  static from(r: ChannelRecord): Channel {
    return new Channel(r.id, r.name, r.isPrivate, r.owner, r.topic, r.topicBy);
  }

  isJoined(user: string): boolean { return this.users.get(nameKey(user))?.joined === true; }

  /** Whether a user may see this channel: any public one; a private one as its owner or a member (joined or invited). */
  visibleTo(user: string): boolean {
    if (!this.isPrivate) return true;
    const key = nameKey(user);
    return this.users.has(key) || (this.owner !== null && nameKey(this.owner) === key);
  }

  isOwner(user: string): boolean { return this.owner !== null && nameKey(this.owner) === nameKey(user); }

  setUser(name: string, joined: boolean): void {
    const key = nameKey(name);
    if (this.users.get(key)?.joined) this.joinedUsers--;
    this.users.set(key, { name, joined });
    if (joined) this.joinedUsers++;
  }

  deleteUser(name: string): void {
    const key = nameKey(name);
    if (this.users.get(key)?.joined) this.joinedUsers--;
    this.users.delete(key);
  }

  /** Joined users and seated bots. */
  get memberCount(): number { return this.joinedUsers + this.bots.size; }

  /** Nobody in it: no joined user, no bot seated or invited. */
  get empty(): boolean { return this.memberCount === 0 && this.invitedBots.size === 0; }

  /** Names of who is here now (joined users with an open session, and bots), sorted. */
  presentNames(): string[] { return [...this.roster.all()]; }

  /** How many are here now (users with an open session, and bots). */
  get presentCount(): number { return this.roster.size; }

  summary(): ChannelSummary {
    return { name: this.name, topic: this.topic, members: this.memberCount, private: this.isPrivate };
  }
}
