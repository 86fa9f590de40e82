import { event, nameKey, type LogoutInfo, type LogoutReason, type Session } from '../../core/index.js';
import type { PresenceStatus } from './api.js';
import type { ChannelState } from './state.js';
import { resolveOnline } from './resolve-name.js';
import type { Messenger } from './messaging.js';
import type { Channel } from './model.js';

const coreReasons: Record<string, string> = { logout: 'Logged out', disconnect: 'Disconnected', shutdown: 'Server shutting down' };
/** The part text of a logout without a /quit text; a plugin's own reason (kicked, banned) shows as the word. */
const partText = (reason: LogoutReason): string => coreReasons[reason] ?? reason.charAt(0).toUpperCase() + reason.slice(1);

/** Logins, logouts and away: who is here, and telling the users who share a channel. */
export class Presence {
  constructor(private readonly state: ChannelState, private readonly messenger: Messenger) {}

  private get ctx() { return this.state.ctx; }

  /**
   * online / away (with its text) / offline; bots are always online. A user's away text is that of all their
   * sessions on every node (see away()): this node's sessions say it, else the node where the user is.
   */
  of(user: string): { status: PresenceStatus; text?: string } {
    const owner = resolveOnline(user, this.state.nameSources);
    if (!owner) {
      const remote = this.ctx.cluster.remoteUser(user);
      if (!remote) return { status: 'offline' };
      return remote.away !== undefined ? { status: 'away', text: remote.away } : { status: 'online' };
    }
    if (owner.kind === 'user') for (const s of owner.sessions) if (s.data.away !== undefined) return { status: 'away', text: s.data.away };
    return { status: 'online' };
  }

  /** Set (a text) or clear (undefined) the away text of a user's sessions on this node, and say so to the other nodes. */
  awayHere(user: string, text: string | undefined): void {
    for (const s of this.ctx.sessions.of(user)) s.data.away = text;
    this.ctx.cluster.setAway(user, text);
  }

  /**
   * After the login reply: the configured channels and the user's own, each with a `join` and its
   * history; then the direct messages kept while they were away. The first session of a user is
   * announced (`join` to each channel's members, `presence` online to those who share one).
   */
  async login(session: Session, first: boolean): Promise<void> {
    const user = session.user;
    if (!user) return;
    // In a cluster, the user's first session is the first on any node.
    first &&= !this.state.cluster.elsewhere(user.name);
    const fresh = new Set<Channel>();
    for (const name of this.state.config.autoJoin) {
      const ch = await this.state.ensure(name);
      if (await this.state.addMember(ch, user.name, { announce: false, checkLimit: false })) fresh.add(ch);
    }
    if (session.closed || !session.user) return;
    const channels = this.state.joined(user.name);
    // The configured channels first, in their order; then the user's own, in the order they joined.
    const autoKeys = this.state.config.autoJoin.map(nameKey);
    const rank = (c: Channel) => { const i = autoKeys.indexOf(c.key); return i < 0 ? autoKeys.length : i; };
    channels.sort((a, b) => rank(a) - rank(b));
    for (const ch of channels) {
      if (first || fresh.has(ch)) this.state.notices.joined(ch, user.name, session);
      ch.sessions.add(session);
    }
    // Another session of the user may have set an away text, here or on another node: this one shares it.
    for (const s of this.ctx.sessions.of(user.name)) if (s !== session && s.data.away !== undefined) session.data.away = s.data.away;
    const remoteAway = this.ctx.cluster.remoteUser(user.name)?.away;
    if (session.data.away === undefined && remoteAway !== undefined) this.awayHere(user.name, remoteAway);
    if (first) this.announce(user.name, { user: user.name, status: 'online' }, this.ctx.sessions.of(user.name));
    session.data.target = channels[0]?.name;
    for (const ch of channels) await this.state.welcome(ch, user.name, undefined, [session]);
    await this.messenger.deliverOffline(user.name, [session]);
  }

  /** A session stopped being logged in: out of its channels; the user's last one tells the others. */
  logout(session: Session, info: LogoutInfo): void {
    session.data.target = undefined;
    const channels = this.state.joined(info.user.name);
    for (const ch of channels) ch.sessions.delete(session);
    session.data.away = undefined;
    if (!info.last || info.reason === 'shutdown' || this.state.cluster.elsewhere(info.user.name)) return;
    // A muted user's /quit text is not passed on (a mute covers every text others see).
    const text = (this.state.isMuted(info.user.name) ? '' : info.quitText) || partText(info.reason);
    const audience = this.state.sharing(info.user.name);
    for (const ch of channels) this.state.notices.left(ch, info.user.name, text, undefined, true);
    const offline = event('presence', { user: info.user.name, status: 'offline' as const });
    this.ctx.delivery.toSessions(audience, offline);
    this.state.cluster.presence(info.user.name, offline);
  }

  /** /away: set (with a text) or clear. Returns the presence event; the users who share a channel get it too. */
  away(session: Session, user: string, text: string) {
    const before = this.of(user);
    this.awayHere(user, text === '' ? undefined : text);
    // The user's sessions on the other nodes take it too.
    this.state.cluster.away(user, text === '' ? undefined : text);
    const now = this.of(user);
    const e = event('presence', { user, status: now.status, ...(now.text !== undefined ? { text: now.text } : {}) });
    if (before.status !== now.status || before.text !== now.text) {
      const audience = this.state.sharing(user);
      for (const s of this.ctx.sessions.of(user)) audience.add(s);
      this.ctx.delivery.toSessions(audience, e, session);
      this.state.cluster.presence(user, e);
    }
    return e;
  }

  /** Send a presence event to everyone who shares a channel with the user, except the given sessions. */
  private announce(user: string, fields: { user: string; status: PresenceStatus; text?: string }, except: Iterable<Session>): void {
    const audience = this.state.sharing(user);
    for (const s of except) audience.delete(s);
    const e = event('presence', fields);
    this.ctx.delivery.toSessions(audience, e);
    this.state.cluster.presence(user, e);
  }
}
