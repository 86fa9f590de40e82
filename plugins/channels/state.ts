import { WhiskrError, event, fitToBytes, nameKey, replyBudget, type ChatMessage, type PluginContext, type ServerEvent, type Session, type SessionUser } from '../../core/index.js';
import { noSuchChannel } from './names.js';
import type { ChannelsConfig } from './config.js';
import type { Mutes, RecentMessages } from './api.js';
import { Channel } from './model.js';
import { ChannelStore } from './store.js';
import { BotLink } from './bot-link.js';
import { ChannelNotices } from './notices.js';
import { resolveName, type NameOwner, type NameSources } from './resolve-name.js';
import '../auth/api.js';
import '../history/api.js';
import '../admin/api.js';

/**
 * The channels plugin's state and the operations on it: channels and their members in memory (loaded
 * from the database, written through), and the open sessions of each channel's members.
 */
/** What the channel state tells the other nodes of a cluster (plugins/channels/cluster.ts). */
export interface ChannelLink {
  /** An event for the channel's members on the other nodes. */
  publish(ch: Channel, e: ServerEvent): void;
  /** This node's sessions in the channel changed: subscribe or unsubscribe by interest. */
  changed(ch: Channel): void;
  /** A channel was created here: the other nodes read it from the database. */
  created(ch: Channel): void;
  /** A user joined (true), was let into a private channel (false) or left (null) here. */
  member(ch: Channel, name: string, joined: boolean | null): void;
  topic(ch: Channel): void;
  deleted(ch: Channel, before: string, text: string): void;
  /** A presence event for the users who share a channel with `user`, on the other nodes. */
  presence(user: string, e: ServerEvent): void;
  /** Whether the user is online on another node (a cluster's users are not all in this node's sessions). */
  elsewhere(user: string): boolean;
  /** A bot was invited into the channel here. */
  botInvited(ch: Channel, name: string): void;
  /** Read a channel another node created from the database; undefined when there is none. */
  adopt(key: string): Promise<Channel | undefined>;
  /**
   * A direct message was kept for a user with no session here: should they be online on another node (or
   * be found to be soon: this node's view of the others may lag), that node hands it over.
   */
  kept(user: string): void;
  /** A user set or cleared their away text here: their sessions on the other nodes take it. */
  away(user: string, text: string | undefined): void;
}

/** How long one read of a channel's replay may serve the joins that follow, while nobody speaks. */
const REPLAY_CACHE_MS = 5_000;

const alone: ChannelLink = { publish() {}, changed() {}, created() {}, member() {}, topic() {}, deleted() {}, presence() {}, botInvited() {}, elsewhere: () => false, adopt: async () => undefined, kept() {}, away() {} };

export class ChannelState {
  readonly channels = new Map<string, Channel>();
  /** Channels each user has joined, by lowercase user name. */
  private readonly joinedBy = new Map<string, Set<Channel>>();
  /** Channel creations in flight, so two /join of a new channel create it once. */
  private readonly creating = new Map<string, Promise<Channel>>();
  /** Names of deleted channels: the message id their former life ended at (by lowercase name). */
  private gone = new Map<string, string>();
  /** When each user created channels, within the last createWindowSeconds (by lowercase name). */
  private readonly creations = new Map<string, number[]>();
  private reclaiming?: Promise<number>;
  /** Joins being written, by lowercase user name (they count toward maxChannelsPerUser already). */
  private readonly adding = new Map<string, number>();

  /** The bots there are (the directory the bots plugin hands over; none without it). */
  readonly bots: BotLink;
  /** The history plugin's recent messages, while it is loaded: see ChannelsService.replayFrom. */
  recent: RecentMessages | undefined;
  /** The admin plugin's mutes, while it is loaded: see ChannelsService.muteWith. */
  mutes: Mutes | undefined;

  /** The other nodes of a cluster (plugins/channels/cluster.ts); on one node alone it does nothing. */
  cluster: ChannelLink = alone;

  /** Where this plugin looks names up (resolveName): its bots, the open sessions, the accounts (auth, when loaded). */
  readonly nameSources: NameSources;
  /** Join and part notices to members, coalesced in big channels. */
  readonly notices: ChannelNotices;

  constructor(readonly ctx: PluginContext<ChannelsConfig>, readonly store: ChannelStore) {
    this.bots = new BotLink((err) => ctx.log.error('a bot watcher failed', err));
    this.notices = new ChannelNotices(ctx);
    // In a cluster a notice reaches the channel's members on the other nodes too.
    this.notices.send = (ch, e, except) => this.toMembers(ch, e, except);
    this.notices.sendGradually = (ch, e) => { ctx.delivery.toSessionsGradually(ch.sessions, e); this.cluster.publish(ch, e); };
    this.nameSources = {
      bots: this.bots,
      sessions: ctx.sessions,
      accounts: { findUser: async (name) => ctx.service('auth')?.findUser(name) },
    };
  }

  get config(): ChannelsConfig { return this.ctx.config; }

  /** An event for a channel's members: this node's sessions in it, and the other nodes that have some. */
  toMembers(ch: Channel, e: ServerEvent, except?: Session): void {
    if (e.type === 'message') ch.said++;
    this.ctx.delivery.toSessions(ch.sessions, e, except);
    this.cluster.publish(ch, e);
  }
  now(): number { return this.ctx.clock.now(); }

  /**
   * Read channels and members from the database, then put the sessions already logged in back in their
   * channels (a reload while people are connected), without sending anything.
   */
  async load(): Promise<void> {
    const byId = new Map<number, Channel>();
    this.gone = await this.store.loadGone();
    // Ids issued from now on are newer than every former life's end, even if the clock went back.
    for (const id of this.gone.values()) this.ctx.ids.seed(id);
    for (const r of await this.store.loadChannels()) {
      const ch = Channel.from(r);
      byId.set(ch.id, ch);
      this.channels.set(ch.key, ch);
    }
    for (const m of await this.store.loadMembers()) {
      const ch = byId.get(m.channelId);
      if (!ch) continue;
      if (m.bot) ch.invitedBots.set(nameKey(m.name), m.name);
      else this.remember(ch, m.name, m.joined);
    }
    for (const s of this.ctx.sessions.all()) {
      if (!s.user || s.closed) continue;
      for (const ch of this.joined(s.user.name)) ch.sessions.add(s);
    }
    for (const ch of this.channels.values()) this.noteEmpty(ch);
  }

  /**
   * Put every logged-in session in its user's channels, and drop closed ones. Run right after this version
   * takes over from a previous one, for sessions that logged in while the new version was being set up.
   */
  resyncSessions(): void {
    for (const ch of this.channels.values()) for (const s of ch.sessions) if (s.closed || !s.user) ch.sessions.delete(s);
    for (const s of this.ctx.sessions.all()) {
      if (!s.user || s.closed) continue;
      for (const ch of this.joined(s.user.name)) ch.sessions.add(s);
    }
  }

  find(name: string): Channel | undefined { return this.channels.get(nameKey(name)); }

  /** The channel if `user` may see it; NO_SUCH_CHANNEL otherwise (a private channel's existence is not revealed). */
  visible(name: string, user: string): Channel {
    const ch = this.find(name);
    if (!ch || !ch.visibleTo(user)) throw noSuchChannel(name);
    return ch;
  }

  /** The channel if `user` has joined it (NO_SUCH_CHANNEL / NOT_IN_CHANNEL otherwise). */
  joinedChannel(name: string, user: string): Channel {
    const ch = this.visible(name, user);
    if (!ch.isJoined(user)) throw new WhiskrError('NOT_IN_CHANNEL', `You are not in ${ch.name}; /join ${ch.name} first.`);
    return ch;
  }

  /** Channels a user has joined, in the order they joined them. */
  joined(user: string): Channel[] { return [...(this.joinedBy.get(nameKey(user)) ?? [])]; }

  /**
   * Who hears of the user's presence (online, away, offline): every open session in a channel the user
   * has joined (the user's own included), but for big channels, whose members are not told (bigChannel).
   */
  sharing(user: string): Set<Session> {
    const out = new Set<Session>();
    for (const ch of this.joinedBy.get(nameKey(user)) ?? []) {
      if (this.notices.isBig(ch)) continue;
      for (const s of ch.sessions) out.add(s);
    }
    return out;
  }

  remember(ch: Channel, name: string, joined: boolean): void {
    const key = nameKey(name);
    ch.setUser(name, joined);
    let set = this.joinedBy.get(key);
    if (joined) {
      if (!set) this.joinedBy.set(key, (set = new Set()));
      set.add(ch);
    } else if (set) {
      set.delete(ch);
      if (set.size === 0) this.joinedBy.delete(key);
    }
  }

  forget(ch: Channel, name: string): void {
    const key = nameKey(name);
    ch.deleteUser(name);
    const set = this.joinedBy.get(key);
    set?.delete(ch);
    if (set?.size === 0) this.joinedBy.delete(key);
  }

  /** Create a channel (CHANNEL_EXISTS when the name is taken, NOT_ALLOWED past maxChannels). */
  create(name: string, isPrivate: boolean, owner: string | null): Promise<Channel> {
    const key = nameKey(name);
    if (this.channels.has(key) || this.creating.has(key)) throw new WhiskrError('CHANNEL_EXISTS', `${this.find(name)?.name ?? name} already exists.`);
    const max = this.config.maxChannels;
    // Channels the server makes itself (auto-join, bot seats: no owner) are not held to the limit.
    if (max > 0 && owner !== null && this.channels.size >= max) throw new WhiskrError('NOT_ALLOWED', `This server holds ${max} channels, its limit; no new ones for now.`);
    const now = this.now();
    if (owner !== null) this.noteCreation(owner);
    const pending = (async () => {
      let id: number;
      try {
        id = await this.store.createChannel({ name, isPrivate, owner, topic: '', topicBy: null, topicAt: null, createdAt: now });
      } catch (err) {
        // A cluster: another node created it a moment ago (the news of it not here yet).
        if (await this.cluster.adopt(key)) throw new WhiskrError('CHANNEL_EXISTS', `${this.find(name)?.name ?? name} already exists.`);
        throw err;
      }
      const ch = new Channel(id, name, isPrivate, owner, '', null);
      this.channels.set(key, ch);
      this.cluster.created(ch);
      return ch;
    })();
    this.creating.set(key, pending);
    return pending.finally(() => this.creating.delete(key));
  }

  /** The channel, created as a public one when missing (auto-join, bot seats, ensureChannel). */
  async ensure(name: string, owner: string | null = null): Promise<Channel> {
    const found = this.find(name);
    if (found) return found;
    try {
      // A creation in flight here is waited for; its failure as much as this one's.
      return await (this.creating.get(nameKey(name)) ?? this.create(name, false, owner));
    } catch (err) {
      // A cluster: another node created it at the same moment; it is read from the database (adopt).
      const adopted = this.find(name);
      if (adopted && err instanceof WhiskrError && err.code === 'CHANNEL_EXISTS') return adopted;
      throw err;
    }
  }

  /** Whether the user is in maxChannelsPerUser channels already. */
  atLimit(user: string): boolean {
    const max = this.config.maxChannelsPerUser;
    const key = nameKey(user);
    return max > 0 && (this.joinedBy.get(key)?.size ?? 0) + (this.adding.get(key) ?? 0) >= max;
  }

  /** NOT_ALLOWED when the user is in maxChannelsPerUser channels already. */
  checkLimit(user: string): void {
    if (this.atLimit(user)) throw new WhiskrError('NOT_ALLOWED', `You are in ${this.config.maxChannelsPerUser} channels, the limit; /part one first.`);
  }

  /**
   * Before a user creates a channel: RATE_LIMITED past createPerUser within the window, NOT_ALLOWED past
   * maxOwnedPerUser (admins are exempt from both); and when the server is full, empty channels due for
   * reclaiming go first.
   */
  async mayCreate(user: SessionUser): Promise<void> {
    const { createPerUser: max, createWindowSeconds: window, maxOwnedPerUser: owned } = this.config;
    if (owned > 0 && !this.isAdmin(user)) {
      let n = 0;
      for (const ch of this.channels.values()) if (ch.isOwner(user.name)) n++;
      if (n >= owned) throw new WhiskrError('NOT_ALLOWED', `You own ${owned} channels, the limit; /channel delete one first.`);
    }
    if (max > 0 && !this.isAdmin(user)) {
      const times = this.recentCreations(user.name);
      if (times.length >= max) {
        const wait = Math.ceil((times[0]! + window * 1000 - this.now()) / 1000);
        throw new WhiskrError('RATE_LIMITED', `You created ${max} channels within ${span(window)}; try again in ${span(wait)}.`);
      }
    }
    const limit = this.config.maxChannels;
    if (limit > 0 && this.channels.size >= limit) await this.reclaim();
  }

  private recentCreations(user: string): number[] {
    const key = nameKey(user);
    const since = this.now() - this.config.createWindowSeconds * 1000;
    const times = (this.creations.get(key) ?? []).filter((t) => t > since);
    if (times.length) this.creations.set(key, times); else this.creations.delete(key);
    return times;
  }

  private noteCreation(user: string): void {
    if (this.config.createPerUser <= 0) return;
    const times = this.recentCreations(user);
    times.push(this.now());
    this.creations.set(nameKey(user), times.slice(-this.config.createPerUser));
  }

  /** Whether an empty channel may be deleted: a public one a user made, not an auto-join one. */
  private reclaimable(ch: Channel): boolean {
    return !ch.isPrivate && ch.owner !== null && !this.config.autoJoin.some((n) => nameKey(n) === ch.key);
  }

  /** Start or stop the clock of an empty channel. */
  noteEmpty(ch: Channel): void {
    ch.emptySince = ch.empty ? (ch.emptySince ?? this.now()) : undefined;
  }

  /** Delete the public channels empty for reclaimEmptyAfterSeconds (their history with them); returns how many. */
  reclaim(): Promise<number> {
    this.reclaiming ??= this.reclaimNow().finally(() => { this.reclaiming = undefined; });
    return this.reclaiming;
  }

  private async reclaimNow(): Promise<number> {
    const idle = this.config.reclaimEmptyAfterSeconds * 1000;
    if (idle <= 0) return 0;
    const now = this.now();
    let n = 0;
    for (const ch of [...this.channels.values()]) {
      if (this.channels.get(ch.key) !== ch) continue; // deleted meanwhile
      this.noteEmpty(ch);
      if (!this.reclaimable(ch) || ch.joining > 0 || ch.emptySince === undefined || now - ch.emptySince < idle) continue;
      await this.deleteChannel(ch, 'the server (empty)');
      n++;
    }
    if (n > 0) this.ctx.log.info(`reclaimed ${n} channel(s) empty for ${span(idle / 1000)}`);
    return n;
  }

  /**
   * Make a user a joined member (written to the database), with their open sessions in the channel. The
   * other members get `join` {channel, user} when the user was not in it before. Returns whether it was new.
   */
  async addMember(ch: Channel, user: string, opts: { announce?: boolean; checkLimit?: boolean } = {}): Promise<boolean> {
    if (ch.isJoined(user)) return false;
    if (opts.checkLimit !== false) this.checkLimit(user);
    const name = ch.users.get(nameKey(user))?.name ?? user;
    // Counted from now: joins of the same user in flight at once cannot pass the limit together.
    const key = nameKey(user);
    this.adding.set(key, (this.adding.get(key) ?? 0) + 1);
    ch.joining++;
    try {
      await this.store.putMember(ch.id, name, false, true, this.now());
    } finally {
      ch.joining--;
      const n = this.adding.get(key)! - 1;
      if (n > 0) this.adding.set(key, n); else this.adding.delete(key);
    }
    if (this.channels.get(ch.key) !== ch) throw noSuchChannel(ch.name); // deleted meanwhile
    this.remember(ch, name, true);
    this.cluster.member(ch, name, true);
    ch.emptySince = undefined;
    const mine = this.ctx.sessions.of(user);
    if (opts.announce !== false) this.notices.joined(ch, name);
    for (const s of mine) ch.sessions.add(s);
    this.cluster.changed(ch);
    return true;
  }

  /** Allow a user into a private channel without joining them (an invite). */
  async allow(ch: Channel, user: string): Promise<void> {
    if (ch.users.has(nameKey(user))) return;
    await this.store.putMember(ch.id, user, false, false, this.now());
    this.remember(ch, user, false);
    this.cluster.member(ch, user, false);
  }

  /** Take a user out of a channel; members (and the user's sessions but `except`) get `part`, which is returned. */
  async removeMember(ch: Channel, user: string, text: string, except?: Session) {
    const name = ch.users.get(nameKey(user))?.name ?? user;
    await this.store.removeMember(ch.id, name, false);
    const e = event('part', { channel: ch.name, user: name, text });
    this.notices.left(ch, name, text, except);
    this.forget(ch, name);
    this.cluster.member(ch, name, null);
    this.noteEmpty(ch);
    for (const s of this.ctx.sessions.of(name)) {
      ch.sessions.delete(s);
      if (s.data.target && nameKey(s.data.target) === ch.key) s.data.target = this.fallbackTarget(name);
    }
    this.cluster.changed(ch);
    return e;
  }

  /** Where a session's plain lines go after it left its current channel: another joined channel, or none. */
  fallbackTarget(user: string): string | undefined {
    return this.joined(user)[0]?.name;
  }

  /** Where the current life of a channel name begins: stored data with older ids belongs to a deleted channel. */
  lifeStart(name: string): string | undefined { return this.gone.get(nameKey(name)); }

  /**
   * Remove a channel: every member's sessions get a `part` with the reason, and the plugins that keep
   * data per channel drop this one's (`channel.deleted`). Its name starts a new life, empty for everyone.
   */
  async deleteChannel(ch: Channel, by: string): Promise<void> {
    const before = this.ctx.ids.next();
    await this.store.deleteChannel(ch.id, ch.key, before);
    this.gone.set(ch.key, before);
    this.channels.delete(ch.key);
    this.notices.forget(ch);
    const text = `${ch.name} was deleted by ${by}`;
    this.evictMembers(ch, text);
    ch.bots.clear();
    this.cluster.changed(ch);
    this.cluster.deleted(ch, before, text);
    await this.ctx.settle('channel.deleted', { channel: ch.name, before });
  }

  async setTopic(ch: Channel, topic: string, by: string): Promise<void> {
    await this.store.setTopic(ch.id, topic, by, this.now());
    ch.topic = topic;
    ch.topicBy = by;
    this.cluster.topic(ch);
  }

  /** A deleted channel's members leave it: each told with `text`, their sessions' target moved elsewhere. */
  private evictMembers(ch: Channel, text: string): void {
    for (const m of [...ch.users.values()]) {
      this.forget(ch, m.name);
      if (!m.joined) continue;
      this.ctx.delivery.toSessions(this.ctx.sessions.of(m.name), event('part', { channel: ch.name, user: m.name, text }));
      for (const s of this.ctx.sessions.of(m.name)) {
        if (s.data.target && nameKey(s.data.target) === ch.key) s.data.target = this.fallbackTarget(m.name);
      }
    }
    ch.sessions.clear();
  }

  /** A channel deleted on another node: its members here are told, as they would be there. */
  dropDeleted(ch: Channel, before: string, text: string): void {
    this.gone.set(ch.key, before);
    this.channels.delete(ch.key);
    this.evictMembers(ch, text);
  }


  /**
   * The `join` reply a member gets: topic and who is here — the first joinMembers names, with the count
   * and `more` when there are more (`/who #channel after=` pages them), so a join costs the same in a
   * channel of 10 and one of 10,000.
   */
  joinReply(ch: Channel, user: string) {
    const page = ch.roster.page(this.config.joinMembers);
    return event('join', {
      channel: ch.name, user, topic: ch.topic, members: page.names,
      ...(page.more ? { count: ch.presentCount, more: true } : {}),
      ...(ch.isPrivate ? { private: true } : {}),
    });
  }

  /**
   * The channel's recent messages (empty without the history plugin, or when it fails), cut to what fits
   * the output bound in JSON (the larger format), with `more` when some were left for /history.
   */
  async replay(ch: Channel): Promise<ServerEvent> {
    // A wave of logins joins #general thousands of times a second: one read serves every join until
    // someone speaks (or REPLAY_CACHE_MS pass: retention and purges are not announced here).
    const cached = ch.replayCache;
    const now = this.ctx.clock.now();
    if (cached && cached.said === ch.said && cached.source === this.recent && now - cached.at < REPLAY_CACHE_MS) {
      const history = await cached.history;
      if (history) return history;
    }
    const entry = { said: ch.said, at: now, source: this.recent, history: this.readReplay(ch) };
    ch.replayCache = entry;
    const history = await entry.history;
    if (!history) {
      if (ch.replayCache === entry) ch.replayCache = undefined;
      return event('history', { target: ch.name, messages: [] });
    }
    return history;
  }

  /** The replay read from the history plugin; undefined when it is not there or failed (then not kept). */
  private async readReplay(ch: Channel): Promise<ServerEvent | undefined> {
    const recent = this.recent;
    if (!recent || this.config.replay <= 0) return undefined;
    let messages: ChatMessage[];
    try { messages = await recent(ch.name, this.config.replay); } catch (err) {
      this.ctx.log.warn(`history of ${ch.name} unavailable: ${(err as Error).message}`);
      return undefined;
    }
    const fit = fitToBytes(messages, 'json', replyBudget(this.ctx.output.maxBytes), 'newest');
    return event('history', { target: ch.name, messages: fit.messages, ...(fit.cut ? { more: true } : {}) });
  }

  /**
   * Send the join reply and the replay: to the session that asked (as its reply), and to the user's other
   * sessions, which are in the channel too.
   */
  async welcome(ch: Channel, user: string, requester: { session: Session; reply(e: ServerEvent): void } | undefined, others: Iterable<Session>): Promise<void> {
    const history = await this.replay(ch);
    const join = this.joinReply(ch, user);
    if (requester) {
      requester.reply(join);
      requester.session.send(history);
    }
    this.ctx.delivery.toSessions(others, join, requester?.session);
    this.ctx.delivery.toSessions(others, history, requester?.session);
  }

  /** Who the name is (see resolveName); NO_SUCH_USER when nobody. */
  async requireUser(name: string): Promise<NameOwner> {
    const found = await resolveName(name, this.nameSources);
    if (!found) throw new WhiskrError('NO_SUCH_USER', `There is no user ${name}.`);
    return found;
  }

  isAdmin(user: SessionUser): boolean { return user.role === 'admin'; }

  /** MUTED when the user is muted: a mute covers every text a user makes others see, not only messages. */
  refuseMuted(user: string): void { this.mutes?.refuseMuted(user); }

  isMuted(user: string): boolean { return this.mutes?.isMuted(user) ?? false; }
}

/** A duration for a message: `45s`, `10 min`, `1h`, `2h 30 min`. */
function span(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.ceil(s / 60)} min`;
  const h = Math.floor(s / 3600);
  const m = Math.ceil((s % 3600) / 60);
  return m ? `${h}h ${m} min` : `${h}h`;
}
