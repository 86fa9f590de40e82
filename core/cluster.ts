import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { Kvm, type KV } from '@nats-io/kv';
import { nameKey } from './parse.js';
import type { Logger } from './logger.js';
import type { Role } from './events.js';
import type { SessionUser } from './session.js';

/**
 * Several Whiskr nodes, one community: what a node knows of the others, over NATS. Each node heartbeats
 * (every HEARTBEAT_MS) and is taken for dead after DEAD_AFTER_MS of silence, so the users of a killed node
 * appear offline within seconds. Who is online on a node travels as deltas (a user's first session there
 * opened, the last closed, the away text changed); the heartbeat carries only a digest of that list (count
 * and hash), and a node whose view of another disagrees with its digest (a delta lost, a node just met)
 * asks that node for its full list. Its id slot (0–35, a digit of every
 * message id it issues: ids stay unique and time-ordered across nodes) is claimed in a JetStream
 * key-value bucket whose entries expire unless refreshed, so a dead node's slot frees itself.
 *
 * Subjects, under the cluster's name `<c>`: `<c>.hb` heartbeats, `<c>.bye` a node leaving, `<c>.on`
 * presence deltas, `<c>.want.<node>` a request for one node's full user list, `<c>.n.<node>` events for users on one node, `<c>.all` events for everyone,
 * `<c>.p.<topic>` what plugins publish (ctx.cluster).
 */
export const HEARTBEAT_MS = 1000;
export const DEAD_AFTER_MS = 3000;
/** Slots a cluster has: one base-36 digit of the id. */
export const SLOTS = 36;
const SLOT_TTL_MS = 30_000;
/**
 * How long a node keeps the direct messages other nodes sent its users, to have them written should their
 * sender's node be lost before it wrote them: well past history's write delay (flushIntervalMs, 50 ms).
 */
const RESCUE_MS = 10_000;
/** How long a node waits for another's full user list before asking again at a later heartbeat. */
const LIST_TIMEOUT_MS = 2000;

export interface ClusterSettings {
  /** NATS servers (nats://host:port). */
  nats: string[];
  /** This node's name, unique in the cluster. */
  node: string;
  /** The cluster's name: the prefix of its subjects and key-value bucket (several clusters may share a NATS). */
  name: string;
}

/** What a plugin may do with the other nodes (ctx.cluster). One node without a cluster: `enabled` false, publish does nothing. */
export interface Cluster {
  readonly enabled: boolean;
  /** This node's name ('' without a cluster). */
  readonly node: string;
  /** Send data (JSON) to the other nodes that subscribe to the topic. */
  publish(topic: string, data: unknown): void;
  /** Take what other nodes publish on a topic (not this node's own); returns how to stop. */
  subscribe(topic: string, fn: (data: unknown, from: string) => void): () => void;
  /** The live nodes, this one included, sorted. */
  nodes(): string[];
  /** Whether this node is the one that does work that must happen once (the first live node by name). */
  isLeader(): boolean;
  /** Whether a user is online on another node. */
  onlineElsewhere(name: string): boolean;
  /** Names (as logged in) of the users online on other nodes. */
  remoteUsers(): string[];
  /** A user online on other nodes, as they are there (role, away text); undefined when on none. */
  remoteUser(name: string): RemoteUser | undefined;
  /** A user of this node set (text) or cleared (undefined) their away text: the other nodes show it too. */
  setAway(name: string, text: string | undefined): void;
  /** 'ok', or 'degraded' while NATS is out of reach (each node serves its own users; what others say is lost). */
  readonly state: ClusterState;
  /** Each live node and what its heartbeat last said (this one included). */
  nodeStats(): NodeStats[];
  /** Be told when NATS is back after an outage: what other nodes published meanwhile was lost, re-read shared state. */
  onResync(fn: () => void): () => void;
  /** Be told when a user comes online on another node (and was not on any other), or is no longer on any other. */
  onPresence(fn: (user: string, online: boolean) => void): () => void;
  /** Be told of users now offline everywhere because their node went away (killed: silent for DEAD_AFTER_MS, or left). */
  onGone(fn: (users: string[], node: string) => void): () => void;
}

export type ClusterState = 'ok' | 'degraded';
/** A user online on another node: what /who and /whois show of them there. */
export interface RemoteUser { name: string; role: Role; away?: string }
export interface NodeStats { node: string; connections: number; users: number; state: ClusterState; lastSeenMs: number }

export const noCluster: Cluster = {
  state: 'ok',
  nodeStats: () => [],
  onResync: () => () => {},
  onPresence: () => () => {},
  enabled: false,
  node: '',
  publish() {},
  subscribe: () => () => {},
  nodes: () => [],
  isLeader: () => true,
  onlineElsewhere: () => false,
  remoteUsers: () => [],
  remoteUser: () => undefined,
  setAway() {},
  onGone: () => () => {},
};

interface Peer {
  lastSeen: number;
  users: Map<string, RemoteUser>;
  /** The digest of `users`, kept as they change: compared with the one each heartbeat carries. */
  digest: UserDigest;
  /** A request for its full list is under way. */
  asking: boolean;
  connections: number;
  state: ClusterState;
}
type Json = Record<string, unknown>;
/** A user as the wire carries them (heartbeats, presence deltas): role and away only when there is something to say. */
interface WireUser { n: string; r?: Role; a?: string }

const toWire = (u: RemoteUser): WireUser => ({ n: u.name, ...(u.role !== 'user' ? { r: u.role } : {}), ...(u.away !== undefined ? { a: u.away } : {}) });
function fromWire(w: unknown): RemoteUser | undefined {
  if (typeof w !== 'object' || w === null || typeof (w as WireUser).n !== 'string') return undefined;
  const { n, r, a } = w as WireUser;
  return { name: n, role: r === 'admin' ? 'admin' : 'user', ...(typeof a === 'string' ? { away: a } : {}) };
}

/**
 * A digest of a set of users, whatever their order: the count, and the XOR of two 32-bit FNV-1a hashes of
 * each user's entry (name, role, away text), so that adding or removing one user updates it in O(1).
 */
export class UserDigest {
  count = 0;
  private h1 = 0;
  private h2 = 0;

  /** A user joins the set (or leaves it: XOR undoes itself, and the count is moved by `delta`). */
  toggle(u: RemoteUser, delta: 1 | -1): void {
    const entry = `${u.name}\n${u.role}\n${u.away ?? ''}`;
    let a = 0x811c9dc5;
    let b = 0x01000193 ^ 0x5bd1e995;
    for (let i = 0; i < entry.length; i++) {
      const c = entry.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
    }
    this.h1 ^= a >>> 0;
    this.h2 ^= b >>> 0;
    this.count += delta;
  }

  get value(): string { return `${this.count}:${(this.h1 >>> 0).toString(36)}.${(this.h2 >>> 0).toString(36)}`; }

  static of(users: Iterable<RemoteUser>): UserDigest {
    const d = new UserDigest();
    for (const u of users) d.toggle(u, 1);
    return d;
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export class ClusterNode implements Cluster {
  readonly enabled = true;
  readonly node: string;
  slot = -1;
  private nc?: NatsConnection;
  private kv?: KV;
  private readonly peers = new Map<string, Peer>();
  private readonly subs: Subscription[] = [];
  private timer?: NodeJS.Timeout;
  private beats = 0;
  /** Bus traffic this node made and took (bench, /stats). */
  readonly traffic = { published: 0, publishedBytes: 0, received: 0, receivedBytes: 0 };
  /** Events for a user on this node, and for everyone (the server delivers them locally). */
  onUserEvent: (user: string, event: Json) => void = () => {};
  /** Another node disconnects a user (kick, ban): their sessions here get the event and close. */
  onDisconnect: (user: string, event: Json, reason: string) => void = () => {};
  onAllEvent: (event: Json) => void = () => {};
  /** Direct messages a lost node sent this node's users in its last RESCUE_MS: the server has history write them. */
  onRescue: (messages: Json[]) => void = () => {};
  /** Those direct messages, by sending node, then by id (one DM may come twice: for its sender and its recipient). */
  private readonly recentDirect = new Map<string, Map<string, { at: number; message: Json }>>();
  private readonly goneListeners = new Set<(users: string[], node: string) => void>();
  private readonly resyncListeners = new Set<() => void>();
  state: ClusterState = 'ok';
  /** NATS lost (degraded) or back (ok): the server tells admins and clients. */
  onState: (state: ClusterState) => void = () => {};
  /** This node's connections, for the heartbeat. */
  connections: () => number = () => 0;
  private readonly presenceListeners = new Set<(user: string, online: boolean) => void>();

  /** Away texts of this node's users, as set through setAway. */
  private readonly localAway = new Map<string, string>();

  constructor(private readonly settings: ClusterSettings, private readonly log: Logger, private readonly local: { users(): SessionUser[]; user(name: string): SessionUser | undefined }) {
    this.node = settings.node;
  }

  private subject(s: string): string { return `${this.settings.name}.${s}`; }

  async start(): Promise<void> {
    this.nc = await connect({ servers: this.settings.nats, name: `whiskr-${this.node}`, noEcho: true, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
    this.kv = await new Kvm(this.nc).create(`${this.settings.name}-nodes`, { ttl: SLOT_TTL_MS, history: 1 });
    this.slot = await this.claimSlot();
    this.listen('hb', (d) => this.heartbeat(d));
    this.answerListRequests(this.nc);
    this.listen('bye', (d) => this.gone(String(d.node)));
    this.listen('on', (d) => this.presence(d));
    this.listen(`n.${this.node}`, (d) => {
      if (typeof d.close === 'string') { this.onDisconnect(String(d.user), d.event as Json, d.close); return; }
      const e = d.event as Json;
      if (e?.type === 'message' && typeof e.to === 'string') this.keepDirect(String(d.from), e);
      this.onUserEvent(String(d.user), e);
    });
    this.listen('all', (d) => this.onAllEvent(d.event as Json));
    void this.watchStatus(this.nc);
    this.beat();
    this.timer = setInterval(() => this.tick(), HEARTBEAT_MS);
    this.timer.unref();
    this.log.info(`cluster node ${this.node} (slot ${this.slot}) on ${this.settings.nats.join(', ')}`);
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' && this.state === 'ok') {
        this.state = 'degraded';
        this.log.warn('cluster: NATS lost; serving this node\'s users alone until it is back');
        this.onState('degraded');
      } else if (s.type === 'reconnect' && this.state === 'degraded') {
        this.state = 'ok';
        this.log.info('cluster: NATS is back; resynchronising');
        // The others were silent because NATS was, not necessarily dead: their next heartbeats decide.
        const now = Date.now();
        for (const p of this.peers.values()) p.lastSeen = now;
        this.beat();
        for (const fn of this.resyncListeners) {
          try { fn(); } catch (e) { this.log.error('cluster: a resync listener failed', e); }
        }
        this.onState('ok');
      }
    }
  }

  private async claimSlot(): Promise<number> {
    const kv = this.kv!;
    for (let i = 0; i < SLOTS; i++) {
      const key = `slot-${i}`;
      try { await kv.create(key, this.node); return i; } catch { /* taken: by this node in a former life? */ }
      const e = await kv.get(key);
      if (e && e.operation === 'PUT' && e.string() === this.node) { await kv.put(key, this.node); return i; }
      if (!e || e.operation !== 'PUT') {
        try { await kv.update(key, this.node, e?.revision ?? 0); return i; } catch { /* someone else was quicker */ }
      }
    }
    throw new Error(`cluster ${this.settings.name}: all ${SLOTS} node slots are taken`);
  }

  private listen(s: string, fn: (d: Json, from: string) => void): Subscription {
    const sub = this.nc!.subscribe(this.subject(s), {
      callback: (err, msg) => {
        if (err) return;
        this.traffic.received++;
        this.traffic.receivedBytes += msg.data.length;
        let d: Json;
        try { d = JSON.parse(dec.decode(msg.data)) as Json; } catch { return; }
        try { fn(d, String(d.from ?? '')); } catch (e) { this.log.error(`cluster: ${s}`, e); }
      },
    });
    this.subs.push(sub);
    return sub;
  }

  private send(s: string, d: Json): void {
    // While NATS is away nothing is queued for later: a late burst would duplicate what clients catch up from history.
    if (!this.nc || this.nc.isClosed() || this.state === 'degraded') return;
    const data = enc.encode(JSON.stringify({ from: this.node, ...d }));
    this.traffic.published++;
    this.traffic.publishedBytes += data.length;
    try { this.nc.publish(this.subject(s), data); } catch (e) { this.log.warn(`cluster: publish ${s}: ${(e as Error).message}`); }
  }

  /** This node's users as the others see them. */
  private localUsers(): RemoteUser[] {
    return this.local.users().map((u) => this.described(u));
  }

  private described(u: SessionUser): RemoteUser {
    const away = this.localAway.get(nameKey(u.name));
    return { name: u.name, role: u.role, ...(away !== undefined ? { away } : {}) };
  }

  /** The heartbeat: who this node is, its connections, and the digest of its users (not the list). */
  private beat(): void { this.send('hb', { node: this.node, digest: UserDigest.of(this.localUsers()).value, connections: this.connections() }); }

  /** Another node asks for this node's full user list (its view disagrees with our digest). */
  private answerListRequests(nc: NatsConnection): void {
    this.subs.push(nc.subscribe(this.subject(`want.${this.node}`), {
      callback: (err, msg) => {
        if (err) return;
        this.traffic.received++;
        const data = enc.encode(JSON.stringify({ from: this.node, users: this.localUsers().map(toWire) }));
        this.traffic.published++;
        this.traffic.publishedBytes += data.length;
        try { msg.respond(data); } catch (e) { this.log.warn(`cluster: answering a list request: ${(e as Error).message}`); }
      },
    }));
  }

  /** Ask a node for its full user list, and make it our view of that node. */
  private async askList(node: string, p: Peer): Promise<void> {
    if (p.asking || !this.nc || this.nc.isClosed() || this.state === 'degraded') return;
    p.asking = true;
    try {
      this.traffic.published++;
      const reply = await this.nc.request(this.subject(`want.${node}`), enc.encode('{}'), { timeout: LIST_TIMEOUT_MS });
      this.traffic.received++;
      this.traffic.receivedBytes += reply.data.length;
      const d = JSON.parse(dec.decode(reply.data)) as Json;
      // The node may have gone (or come back as another life) meanwhile.
      if (this.peers.get(node) === p) this.applyList(p, Array.isArray(d.users) ? d.users : []);
    } catch (e) {
      this.log.warn(`cluster: node ${node}'s user list not had (asked again at a later heartbeat): ${(e as Error).message}`);
    } finally {
      p.asking = false;
    }
  }

  private setUser(p: Peer, key: string, u: RemoteUser): void {
    const before = p.users.get(key);
    if (before) p.digest.toggle(before, -1);
    p.users.set(key, u);
    p.digest.toggle(u, 1);
  }

  private deleteUser(p: Peer, key: string): void {
    const before = p.users.get(key);
    if (!before) return;
    p.users.delete(key);
    p.digest.toggle(before, -1);
  }

  private tick(): void {
    this.beat();
    if (++this.beats % 10 === 0) this.kv?.put(`slot-${this.slot}`, this.node).catch((e) => this.log.warn(`cluster: slot refresh: ${(e as Error).message}`));
    // Without NATS, silence says nothing of the others: nobody is taken for dead until it is back.
    if (this.state === 'degraded') return;
    const now = Date.now();
    for (const kept of this.recentDirect.values()) this.pruneDirect(kept, now);
    for (const [node, p] of this.peers) if (now - p.lastSeen > DEAD_AFTER_MS) { this.log.warn(`cluster: node ${node} silent for ${DEAD_AFTER_MS} ms: taken for dead`); this.gone(node); }
  }

  private heartbeat(d: Json): void {
    const node = String(d.node);
    if (node === this.node) return;
    let p = this.peers.get(node);
    if (!p) {
      p = { lastSeen: 0, users: new Map(), digest: new UserDigest(), asking: false, connections: 0, state: 'ok' };
      this.peers.set(node, p);
      this.log.info(`cluster: node ${node} is up`);
      // A node just started: it learns of this one now, not at our next heartbeat.
      this.beat();
    }
    p.lastSeen = Date.now();
    p.connections = Number(d.connections) || 0;
    // Deltas come in order with the heartbeats: a digest that disagrees means one was lost (a NATS outage)
    // or the node is new to us. Who is there is then what the node says when asked.
    if (p.digest.value !== String(d.digest)) void this.askList(node, p);
  }

  /** A node's full user list: our view of it becomes that. */
  private applyList(p: Peer, list: unknown[]): void {
    const fresh = new Map<string, RemoteUser>();
    for (const w of list) { const u = fromWire(w); if (u) fresh.set(nameKey(u.name), u); }
    for (const [k, u] of [...p.users]) if (!fresh.has(k)) { this.deleteUser(p, k); if (!this.onlineElsewhere(u.name)) this.onRemotePresence(u.name, false); }
    for (const [k, u] of fresh) {
      const was = p.users.has(k) || this.onlineElsewhere(u.name);
      this.setUser(p, k, u);
      if (!was) this.onRemotePresence(u.name, true);
    }
  }

  private presence(d: Json): void {
    const node = String(d.from);
    const p = this.peers.get(node);
    if (!p) return; // its first heartbeat makes us ask for its whole list
    const info = fromWire(d.user);
    if (!info) return;
    const u = info.name;
    const was = this.onlineElsewhere(u);
    // Online again while online: their role or away text changed.
    if (d.online) this.setUser(p, nameKey(u), info); else this.deleteUser(p, nameKey(u));
    const is = this.onlineElsewhere(u);
    if (was !== is) this.onRemotePresence(u, is);
  }

  private keepDirect(node: string, e: Json): void {
    const now = Date.now();
    let kept = this.recentDirect.get(node);
    if (!kept) this.recentDirect.set(node, (kept = new Map()));
    const { type: _type, ...message } = e;
    if (typeof message.id === 'string' && !kept.has(message.id)) kept.set(message.id, { at: now, message });
    this.pruneDirect(kept, now);
  }

  /** Entries are in the order they came: the old ones are at the front. */
  private pruneDirect(kept: Map<string, { at: number }>, now: number): void {
    for (const [id, r] of kept) {
      if (now - r.at <= RESCUE_MS) break;
      kept.delete(id);
    }
  }

  private gone(node: string): void {
    const p = this.peers.get(node);
    if (!p || node === this.node) return;
    this.peers.delete(node);
    // Only the nodes of the two people got a DM, and only history is handed it: it reaches nobody else.
    const lost = this.recentDirect.get(node);
    this.recentDirect.delete(node);
    if (lost?.size) {
      try { this.onRescue([...lost.values()].map((r) => r.message)); } catch (e) { this.log.error('cluster: rescuing the direct messages of a lost node failed', e); }
    }
    const offline = [...p.users.values()].map((u) => u.name).filter((u) => !this.onlineElsewhere(u));
    for (const fn of this.goneListeners) {
      try { fn(offline, node); } catch (e) { this.log.error('cluster: a listener of a lost node failed', e); }
    }
    for (const u of offline) this.onRemotePresence(u, false);
  }

  /** A user's first session on this node opened, or the last closed. */
  localPresence(user: string, online: boolean): void {
    if (!online) { this.localAway.delete(nameKey(user)); this.send('on', { user: { n: user }, online }); return; }
    const u = this.local.user(user);
    this.send('on', { user: toWire(u ? this.described(u) : { name: user, role: 'user' }), online });
  }

  setAway(name: string, text: string | undefined): void {
    const u = this.local.user(name);
    if (!u) return;
    if (text === undefined) this.localAway.delete(nameKey(name)); else this.localAway.set(nameKey(name), text);
    this.send('on', { user: toWire(this.described(u)), online: true });
  }

  remoteUser(name: string): RemoteUser | undefined {
    const key = nameKey(name);
    let found: RemoteUser | undefined;
    // On several nodes: away on any of them is away (as a user's sessions on one node share their away text).
    for (const p of this.peers.values()) {
      const u = p.users.get(key);
      if (u && (!found || (found.away === undefined && u.away !== undefined))) found = u;
    }
    return found;
  }

  /** Nodes other than this one where a user is online. */
  nodesOf(user: string): string[] {
    const key = nameKey(user);
    const out: string[] = [];
    for (const [node, p] of this.peers) if (p.users.has(key)) out.push(node);
    return out;
  }

  /** Send an event to a user's sessions on the other nodes. */
  toUser(user: string, event: Json): void {
    for (const node of this.nodesOf(user)) this.send(`n.${node}`, { user, event });
  }

  toAll(event: Json): void { this.send('all', { event }); }

  /** Disconnect a user's sessions on the other nodes; returns on how many nodes they were. */
  disconnect(user: string, event: Json, reason: string): number {
    const nodes = this.nodesOf(user);
    for (const node of nodes) this.send(`n.${node}`, { user, event, close: reason });
    return nodes.length;
  }

  // ── Cluster (ctx.cluster) ──
  publish(topic: string, data: unknown): void { this.send(`p.${topic}`, { data }); }

  subscribe(topic: string, fn: (data: unknown, from: string) => void): () => void {
    if (!this.nc) return () => {};
    const sub = this.listen(`p.${topic}`, (d, from) => fn(d.data, from));
    return () => {
      sub.unsubscribe();
      const i = this.subs.indexOf(sub);
      if (i >= 0) this.subs.splice(i, 1);
    };
  }

  /** A user came online on another node (none had them before) or is on none any more. */
  private onRemotePresence(user: string, online: boolean): void {
    for (const fn of this.presenceListeners) {
      try { fn(user, online); } catch (e) { this.log.error('cluster: a presence listener failed', e); }
    }
  }

  onPresence(fn: (user: string, online: boolean) => void): () => void {
    this.presenceListeners.add(fn);
    return () => { this.presenceListeners.delete(fn); };
  }

  onResync(fn: () => void): () => void {
    this.resyncListeners.add(fn);
    return () => { this.resyncListeners.delete(fn); };
  }

  nodeStats(): NodeStats[] {
    const now = Date.now();
    const out: NodeStats[] = [{ node: this.node, connections: this.connections(), users: this.localUsers().length, state: this.state, lastSeenMs: 0 }];
    for (const [node, p] of this.peers) out.push({ node, connections: p.connections, users: p.users.size, state: p.state, lastSeenMs: now - p.lastSeen });
    return out.sort((x, y) => x.node.localeCompare(y.node));
  }

  onGone(fn: (users: string[], node: string) => void): () => void {
    this.goneListeners.add(fn);
    return () => { this.goneListeners.delete(fn); };
  }

  nodes(): string[] { return [this.node, ...this.peers.keys()].sort(); }
  isLeader(): boolean { return this.nodes()[0] === this.node; }
  onlineElsewhere(name: string): boolean { return this.nodesOf(name).length > 0; }
  remoteUsers(): string[] {
    const out = new Map<string, string>();
    for (const p of this.peers.values()) for (const [k, u] of p.users) out.set(k, u.name);
    return [...out.values()];
  }

  /** Leave: the others drop this node's users now rather than after DEAD_AFTER_MS. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    if (!this.nc || this.nc.isClosed()) return;
    this.send('bye', { node: this.node });
    try { await this.nc.drain(); } catch { await this.nc.close().catch(() => {}); }
  }
}
