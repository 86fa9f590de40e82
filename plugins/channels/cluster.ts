import { event, nameKey, type ChatMessage, type ServerEvent } from '../../core/index.js';

/**
 * How long a node keeps the channel messages of the others, to write them should their sender be lost:
 * well past the sender's own write delay (history.flushIntervalMs, 50 ms; a stalled database journals).
 */
const RESCUE_MS = 10_000;
/** How long a node waits, after a crowd window ends, for what the other nodes gathered in it (they end it at the same time). */
const CROWD_GRACE_MS = 250;
/**
 * How long a node remembers that it kept a DM for a user it took to be offline: should it learn meanwhile
 * that they are online on another node (its view lagged: a node just met, a delta lost), it tells that node.
 */
const KEPT_WATCH_MS = 10_000;
import type { ChannelLink, ChannelState } from './state.js';
import { Channel } from './model.js';
import type { Seats } from './seats.js';
import { compareNames } from './roster.js';

type Control =
  | { op: 'created'; key: string }
  | { op: 'member'; key: string; name: string; joined: boolean | null }
  | { op: 'topic'; key: string; topic: string; by: string | null }
  | { op: 'deleted'; key: string; before: string; text: string }
  | { op: 'bot'; key: string; name: string }
  | { op: 'presence'; user: string; e: ServerEvent }
  | { op: 'kept'; user: string }
  | { op: 'away'; user: string; text: string | null };

/**
 * The channels plugin on a cluster node. Two kinds of traffic:
 * - what members see (messages, joins, parts, topics) goes on a channel's own topic, and a node subscribes
 *   to it only while one of its own sessions is in the channel: traffic follows interest;
 * - who is in which channel (joins, invites, parts, topics, creations, deletions: rare) goes on one topic
 *   every node takes, so each node's membership stays that of the database, written by the node that made
 *   the change. A private channel's name and events thus reach only nodes with a member in it, and a node
 *   hands an event only to its own sessions of the channel's members: never a leak to a non-member.
 */
export class ChannelCluster implements ChannelLink {
  private readonly subs = new Map<string, () => void>();
  /** Members counted in a channel's roster (who is here) for their sessions on other nodes, by lowercase name. */
  private readonly remote = new Map<Channel, Set<string>>();
  /** Channel messages other nodes sent in the last RESCUE_MS, by node: written again should that node be lost. */
  private readonly recent = new Map<string, { at: number; message: ChatMessage }[]>();
  /** Joins and parts the nodes gathered in the crowd window that just ended, by channel key: merged into one crowd event. */
  private readonly crowds = new Map<string, { joined: Map<string, string>; left: Map<string, string> }>();
  /** Users a DM was kept for while taken to be offline everywhere, by lowercase name: when. */
  private readonly keptFor = new Map<string, number>();
  /** Hand a user's sessions on this node the direct messages kept for them (the plugin's inbox). */
  deliverKept: (user: string) => void = () => {};
  /** Set or clear the away text of a user's sessions on this node (the plugin's presence). */
  awayHere: (user: string, text: string | undefined) => void = () => {};

  constructor(private readonly state: ChannelState, private readonly seats: Seats) {}

  private get ctx() { return this.state.ctx; }

  /** NATS subject tokens may not hold `.`, `*`, `>` or spaces: the channel's key goes as hex. */
  private subject(key: string): string { return `ch.${Buffer.from(key).toString('hex')}`; }

  start(): void {
    this.ctx.cluster.subscribe('channels', (d) => {
      this.control(d as Control).catch((err) => this.ctx.log.warn(`channel change from another node not applied: ${(err as Error).message}`));
    });
    // A node killed: its users' channel mates here are told they left, as for a dropped connection.
    this.ctx.cluster.onGone((users, node) => {
      const lost = this.recent.get(node);
      this.recent.delete(node);
      if (lost?.length) this.ctx.emit('message.rescued', lost.map((r) => r.message));
      for (const user of users) {
        const audience = this.state.sharing(user);
        for (const ch of this.state.joined(user)) this.ctx.delivery.toSessions(ch.sessions, event('part', { channel: ch.name, user, text: 'Connection lost' }));
        this.ctx.delivery.toSessions(audience, event('presence', { user, status: 'offline' }));
      }
    });
    // Who is here includes members on other nodes: the roster counts them as one presence each.
    this.ctx.cluster.onPresence((user, online) => {
      for (const ch of this.state.joined(user)) this.markRemote(ch, user, online);
      const at = this.keptFor.get(nameKey(user));
      if (online && at !== undefined) {
        this.keptFor.delete(nameKey(user));
        if (Date.now() - at <= KEPT_WATCH_MS) this.send({ op: 'kept', user });
      }
    });
    // NATS back after an outage: the changes other nodes made meanwhile were published into the void.
    this.ctx.cluster.onResync(() => {
      this.resync().catch((err) => this.ctx.log.warn(`channels not resynchronised after the NATS outage: ${(err as Error).message}`));
    });
    // A big channel's joins and parts: one crowd event per window for the whole cluster, not one per node.
    this.state.notices.share = (ch, joined, left) => {
      this.ctx.cluster.publish(this.subject(ch.key), { crowd: { joined, left } });
      this.merge(ch.key, joined, left);
    };
    for (const ch of this.state.channels.values()) this.changed(ch);
    this.ctx.onDispose(() => { for (const stop of this.subs.values()) stop(); this.subs.clear(); });
  }

  elsewhere(user: string): boolean { return this.ctx.cluster.onlineElsewhere(user); }

  publish(ch: Channel, e: ServerEvent): void {
    this.ctx.cluster.publish(this.subject(ch.key), { e });
  }

  changed(ch: Channel): void {
    const want = ch.sessions.size > 0 && this.state.channels.get(ch.key) === ch;
    const sub = this.subs.get(ch.key);
    if (want && !sub) {
      this.subs.set(ch.key, this.ctx.cluster.subscribe(this.subject(ch.key), (d, from) => {
        const { e, crowd } = d as { e?: ServerEvent; crowd?: { joined: unknown; left: unknown } };
        if (crowd) this.merge(ch.key, names(crowd.joined), names(crowd.left));
        else if (e) this.received(ch.key, e, from);
      }));
    } else if (!want && sub) {
      sub();
      this.subs.delete(ch.key);
    }
  }

  private send(c: Control): void { this.ctx.cluster.publish('channels', c); }

  created(ch: Channel): void { this.send({ op: 'created', key: ch.key }); }
  member(ch: Channel, name: string, joined: boolean | null): void {
    this.send({ op: 'member', key: ch.key, name, joined });
    this.markRemote(ch, name, joined === true && this.elsewhere(name));
  }

  /** Count a member's presence on other nodes in the channel's roster, or stop counting it. */
  private markRemote(ch: Channel, name: string, on: boolean): void {
    const key = nameKey(name);
    let set = this.remote.get(ch);
    if (on) {
      if (!set) this.remote.set(ch, (set = new Set()));
      if (set.has(key)) return;
      set.add(key);
      ch.roster.add(name);
    } else {
      if (!set?.delete(key)) return;
      if (set.size === 0) this.remote.delete(ch);
      ch.roster.remove(name);
    }
  }
  topic(ch: Channel): void { this.send({ op: 'topic', key: ch.key, topic: ch.topic, by: ch.topicBy }); }
  deleted(ch: Channel, before: string, text: string): void { this.send({ op: 'deleted', key: ch.key, before, text }); }
  presence(user: string, e: ServerEvent): void { this.send({ op: 'presence', user, e }); }
  botInvited(ch: Channel, name: string): void { this.send({ op: 'bot', key: ch.key, name }); }
  kept(user: string): void {
    if (this.elsewhere(user)) { this.send({ op: 'kept', user }); return; }
    const now = Date.now();
    for (const [k, at] of this.keptFor) { if (now - at <= KEPT_WATCH_MS) break; this.keptFor.delete(k); }
    this.keptFor.delete(nameKey(user));
    this.keptFor.set(nameKey(user), now);
  }
  away(user: string, text: string | undefined): void { this.send({ op: 'away', user, text: text ?? null }); }

  private received(key: string, e: ServerEvent, from: string): void {
    if (e.type === 'message') this.keep(from, e);
    const ch = this.state.channels.get(key);
    if (!ch) return;
    if (e.type === 'message') ch.said++;
    this.ctx.delivery.toSessions(ch.sessions, e);
  }

  /** Add what one node gathered to the channel's crowd window; the first part starts the wait for the others. */
  private merge(key: string, joined: string[], left: string[]): void {
    let m = this.crowds.get(key);
    if (!m) {
      this.crowds.set(key, (m = { joined: new Map(), left: new Map() }));
      this.ctx.after(CROWD_GRACE_MS, () => this.crowdOut(key));
    }
    // Left on one node and back on another within the window (a reconnect elsewhere) is no news.
    for (const u of joined) if (!m.left.delete(nameKey(u))) m.joined.set(nameKey(u), u);
    for (const u of left) if (!m.joined.delete(nameKey(u))) m.left.set(nameKey(u), u);
  }

  private crowdOut(key: string): void {
    const m = this.crowds.get(key);
    this.crowds.delete(key);
    const ch = this.state.channels.get(key);
    if (!m || !ch || (m.joined.size === 0 && m.left.size === 0)) return;
    // In name order: each node heard the parts in its own order, and every node must tell the same.
    const first = (names: Map<string, string>) => [...names.values()].sort(compareNames).slice(0, this.ctx.config.noticeNames);
    // A slice of the members a turn: a crowd notice may come late, the chat may not.
    this.ctx.delivery.toSessionsGradually(ch.sessions, event('crowd', {
      channel: ch.name, joined: m.joined.size, left: m.left.size, joinedNames: first(m.joined), leftNames: first(m.left),
    }));
  }

  private keep(node: string, e: ChatMessage): void {
    const now = Date.now();
    let list = this.recent.get(node);
    if (!list) this.recent.set(node, (list = []));
    list.push({ at: now, message: { id: e.id, from: e.from, channel: e.channel, text: e.text, ts: e.ts, kind: e.kind, ...(e.bot ? { bot: true } : {}) } });
    let drop = 0;
    while (drop < list.length && now - list[drop]!.at > RESCUE_MS) drop++;
    if (drop > 0) list.splice(0, drop);
  }

  private async control(c: Control): Promise<void> {
    if (c.op === 'presence') {
      this.ctx.delivery.toSessions(this.state.sharing(c.user), c.e);
      return;
    }
    if (c.op === 'away') {
      if (this.ctx.sessions.of(c.user).size > 0) this.awayHere(c.user, typeof c.text === 'string' ? c.text : undefined);
      return;
    }
    if (c.op === 'kept') {
      if (this.ctx.sessions.of(c.user).size > 0) this.deliverKept(c.user);
      return;
    }
    const key = String(c.key);
    let ch = this.state.channels.get(key);
    if (c.op === 'created' || !ch) {
      if (c.op === 'deleted') return;
      ch = await this.refresh(key);
      if (!ch) return;
      if (c.op === 'created') return;
    }
    switch (c.op) {
      case 'member': {
        if (c.joined === null) {
          this.markRemote(ch, c.name, false);
          this.state.forget(ch, c.name);
          for (const s of this.ctx.sessions.of(c.name)) ch.sessions.delete(s);
          this.state.noteEmpty(ch);
        } else {
          this.state.remember(ch, c.name, c.joined);
          if (c.joined && this.elsewhere(c.name)) this.markRemote(ch, c.name, true);
          if (c.joined) {
            ch.emptySince = undefined;
            // The user's sessions here are in the channel too: they get its join reply, as on the node that joined them.
            const mine = [...this.ctx.sessions.of(c.name)].filter((s) => !ch!.sessions.has(s));
            for (const s of mine) ch.sessions.add(s);
            if (mine.length) await this.state.welcome(ch, c.name, undefined, mine);
          }
        }
        this.changed(ch);
        return;
      }
      case 'bot':
        // Its join reaches the members here on the channel's topic.
        this.seats.seatInvited(ch, c.name);
        return;
      case 'topic':
        ch.topic = c.topic;
        ch.topicBy = c.by;
        return;
      case 'deleted':
        this.remote.delete(ch);
        this.state.dropDeleted(ch, c.before, c.text);
        this.changed(ch);
        return;
    }
  }

  /** Make this node's channels and memberships those of the database again (after a NATS outage). */
  async resync(): Promise<void> {
    const store = this.state.store;
    const [records, members, gone] = [await store.loadChannels(), await store.loadMembers(), await store.loadGone()];
    const live = new Set<string>();
    const byId = new Map<number, Channel>();
    for (const r of records) {
      const key = nameKey(r.name);
      live.add(key);
      let ch = this.state.channels.get(key);
      if (ch && ch.id !== r.id) { this.state.dropDeleted(ch, gone.get(key) ?? this.ctx.ids.next(), `${ch.name} was deleted`); ch = undefined; }
      if (!ch) { ch = Channel.from(r); this.state.channels.set(key, ch); }
      ch.topic = r.topic;
      ch.topicBy = r.topicBy;
      byId.set(r.id, ch);
    }
    for (const ch of [...this.state.channels.values()]) {
      if (!live.has(ch.key)) this.state.dropDeleted(ch, gone.get(ch.key) ?? this.ctx.ids.next(), `${ch.name} was deleted`);
    }
    const stored = new Map<Channel, Map<string, { name: string; joined: boolean }>>();
    for (const m of members) {
      const ch = byId.get(m.channelId);
      if (!ch) continue;
      if (m.bot) { this.seats.seatInvited(ch, m.name); continue; }
      let users = stored.get(ch);
      if (!users) stored.set(ch, (users = new Map()));
      users.set(nameKey(m.name), m);
    }
    for (const ch of byId.values()) {
      const users = stored.get(ch) ?? new Map<string, { name: string; joined: boolean }>();
      for (const [key, m] of [...ch.users]) {
        if (users.has(key)) continue;
        this.markRemote(ch, m.name, false);
        this.state.forget(ch, m.name);
        for (const s of this.ctx.sessions.of(m.name)) ch.sessions.delete(s);
      }
      for (const m of users.values()) {
        if (ch.users.get(nameKey(m.name))?.joined !== m.joined) this.state.remember(ch, m.name, m.joined);
        if (m.joined) for (const s of this.ctx.sessions.of(m.name)) ch.sessions.add(s);
        this.markRemote(ch, m.name, m.joined && this.elsewhere(m.name));
      }
      this.state.noteEmpty(ch);
      this.changed(ch);
    }
  }

  adopt(key: string): Promise<Channel | undefined> { return this.refresh(key); }

  /** Read a channel another node created from the database (every node shares it). */
  private async refresh(key: string): Promise<Channel | undefined> {
    const found = await this.state.store.loadOne(nameKey(key));
    if (!found) return undefined;
    const known = this.state.channels.get(nameKey(found.channel.name));
    if (known && known.id === found.channel.id) return known;
    const ch = Channel.from(found.channel);
    this.state.channels.set(ch.key, ch);
    for (const m of found.members) {
      if (m.bot) ch.invitedBots.set(nameKey(m.name), m.name);
      else this.state.remember(ch, m.name, m.joined);
    }
    for (const m of found.members) if (!m.bot && m.joined && this.elsewhere(m.name)) this.markRemote(ch, m.name, true);
    this.state.noteEmpty(ch);
    return ch;
  }
}

/** User names as another node sent them (anything else is left out). */
function names(list: unknown): string[] {
  return Array.isArray(list) ? list.filter((n): n is string => typeof n === 'string') : [];
}
