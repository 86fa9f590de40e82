import { event, nameKey, type PluginContext, type ServerEvent, type Session } from '../../core/index.js';
import type { ChannelsConfig } from './config.js';
import type { Channel } from './model.js';

interface Pending {
  /** Who joined and who left within the window, by lowercase name, in order. */
  joined: Map<string, string>;
  left: Map<string, string>;
  cancel: () => void;
}

/**
 * Every join and part notice to a channel's members goes through here. In a small channel each is sent
 * as it happens (`join`, `part`). In a big one (bigChannel present members or more) a notice to every
 * member per login makes a reconnect wave cost the square of the channel: they are gathered into one
 * `crowd` event per noticeWindowSeconds, or not sent (bigChannelNotices).
 */
export class ChannelNotices {
  private readonly pending = new Map<Channel, Pending>();

  /** How a notice reaches a channel's members (the channel state puts the cluster's other nodes behind it). */
  send: (ch: Channel, e: ServerEvent, except?: Session) => void = (ch, e, except) => this.ctx.delivery.toSessions(ch.sessions, e, except);
  /** How a `crowd` notice reaches them: a slice of the members a turn (it may come late, the chat may not). */
  sendGradually: (ch: Channel, e: ServerEvent) => void = (ch, e) => this.ctx.delivery.toSessionsGradually(ch.sessions, e);
  /**
   * A cluster: what this node gathered in a window goes to the nodes with members of the channel, which each
   * merge what every node gathered in that window into one `crowd` event (plugins/channels/cluster.ts). The
   * windows then end on multiples of noticeWindowSeconds, on every node at once.
   */
  share: ((ch: Channel, joined: string[], left: string[]) => void) | undefined;

  constructor(private readonly ctx: PluginContext<ChannelsConfig>) {}

  /** Whether the channel counts as big now. */
  isBig(ch: Channel): boolean {
    const big = this.ctx.config.bigChannel;
    return big > 0 && ch.presentCount >= big;
  }

  /** `user` joined: tell the members' sessions (but `except`). */
  joined(ch: Channel, user: string, except?: Session): void {
    if (!this.isBig(ch)) {
      this.send(ch, event('join', { channel: ch.name, user }), except);
      return;
    }
    this.gather(ch, user, 'joined');
  }

  /** `user` left with `text`: tell the members' sessions (but `except`), the user's own among them. */
  left(ch: Channel, user: string, text: string, except?: Session, quit = false): void {
    const e = event('part', { channel: ch.name, user, text, ...(quit ? { quit } : {}) });
    if (!this.isBig(ch)) {
      this.send(ch, e, except);
      return;
    }
    // The user's other sessions must know they are out, whatever the others are told.
    const own = [...this.ctx.sessions.of(user)].filter((s) => ch.sessions.has(s));
    this.ctx.delivery.toSessions(own, e, except);
    this.gather(ch, user, 'left');
  }

  /** Drop what was gathered for a channel (it was deleted). */
  forget(ch: Channel): void {
    this.pending.get(ch)?.cancel();
    this.pending.delete(ch);
  }

  /** Send everything gathered now (at unload, so that nothing gathered is lost with the plugin). */
  flushAll(): void {
    for (const ch of [...this.pending.keys()]) this.flush(ch);
  }

  private gather(ch: Channel, user: string, what: 'joined' | 'left'): void {
    if (this.ctx.config.bigChannelNotices === 'suppress') return;
    let p = this.pending.get(ch);
    if (!p) {
      const window = this.ctx.config.noticeWindowSeconds * 1000;
      const delay = this.share ? window - (this.ctx.clock.now() % window) : window;
      const cancel = this.ctx.after(delay, () => this.flush(ch));
      p = { joined: new Map(), left: new Map(), cancel };
      this.pending.set(ch, p);
    }
    const key = nameKey(user);
    // Someone who left and came back within the window (a reconnect) is no news, and the other way round.
    const opposite = what === 'joined' ? p.left : p.joined;
    if (opposite.delete(key)) return;
    (what === 'joined' ? p.joined : p.left).set(key, user);
  }

  private flush(ch: Channel): void {
    const p = this.pending.get(ch);
    if (!p) return;
    this.pending.delete(ch);
    p.cancel();
    if (p.joined.size === 0 && p.left.size === 0) return;
    if (this.share) { this.share(ch, [...p.joined.values()], [...p.left.values()]); return; }
    const first = (m: Map<string, string>) => [...m.values()].slice(0, this.ctx.config.noticeNames);
    this.sendGradually(ch, event('crowd', {
      channel: ch.name, joined: p.joined.size, left: p.left.size, joinedNames: first(p.joined), leftNames: first(p.left),
    }));
  }
}
