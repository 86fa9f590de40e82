import { nameKey, type ServerEvent } from '../../core/index.js';
import type { ChannelLink, ChannelState } from './state.js';
import { Channel } from './model.js';

/**
 * The channels plugin on a cluster node. A node subscribes to a channel's topic only while one of its own
 * sessions is in the channel (traffic follows interest); what it receives it hands to those sessions, and
 * a join or part it learns so keeps the membership the same everywhere. A channel created elsewhere is read
 * from the database (shared by every node).
 */
export class ChannelCluster implements ChannelLink {
  private readonly subs = new Map<string, () => void>();

  constructor(private readonly state: ChannelState) {}

  private get ctx() { return this.state.ctx; }

  /** NATS subject tokens may not hold `.`, `*`, `>` or spaces: the channel's key goes as hex. */
  private topic(key: string): string { return `ch.${Buffer.from(key).toString('hex')}`; }

  start(): void {
    this.ctx.cluster.subscribe('channels', (d) => {
      const { key } = d as { key: string };
      this.refresh(String(key)).catch((err) => this.ctx.log.warn(`channel ${key} from another node not read: ${(err as Error).message}`));
    });
    for (const ch of this.state.channels.values()) this.changed(ch);
    this.ctx.onDispose(() => { for (const stop of this.subs.values()) stop(); this.subs.clear(); });
  }

  publish(ch: Channel, e: ServerEvent): void {
    this.ctx.cluster.publish(this.topic(ch.key), { e });
  }

  changed(ch: Channel): void {
    const want = ch.sessions.size > 0 && this.state.channels.get(ch.key) === ch;
    const sub = this.subs.get(ch.key);
    if (want && !sub) {
      this.subs.set(ch.key, this.ctx.cluster.subscribe(this.topic(ch.key), (d) => this.received(ch.key, (d as { e: ServerEvent }).e)));
    } else if (!want && sub) {
      sub();
      this.subs.delete(ch.key);
    }
  }

  created(ch: Channel): void {
    this.ctx.cluster.publish('channels', { key: ch.key });
  }

  private received(key: string, e: ServerEvent): void {
    const ch = this.state.channels.get(key);
    if (!ch) return;
    // Who is in the channel, as the node that made the change wrote it to the database.
    if (e.type === 'join' && !ch.isJoined(e.user)) this.state.remember(ch, e.user, true);
    if (e.type === 'part') this.state.forget(ch, e.user);
    this.ctx.delivery.toSessions(ch.sessions, e);
  }

  /** Read a channel another node created (or changed) from the database. */
  async refresh(key: string): Promise<Channel | undefined> {
    const found = await this.state.store.loadOne(nameKey(key));
    if (!found) return undefined;
    let ch = this.state.channels.get(nameKey(found.channel.name));
    if (!ch || ch.id !== found.channel.id) {
      ch = Channel.from(found.channel);
      this.state.channels.set(ch.key, ch);
    }
    for (const m of found.members) {
      if (m.bot) ch.invitedBots.set(nameKey(m.name), m.name);
      else if (ch.users.get(nameKey(m.name))?.joined !== m.joined) this.state.remember(ch, m.name, m.joined);
    }
    return ch;
  }
}
