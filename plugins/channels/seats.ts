import { event, nameKey } from '../../core/index.js';
import { isValidChannelName } from './names.js';
import type { SeatedBot } from './api.js';
import type { ChannelState } from './state.js';
import type { Channel } from './model.js';

/**
 * Where the bots sit: the channels of their spec (created when missing) and those they were invited to
 * with /channel invite (kept in the database). A bot that goes away (its plugin unloaded) leaves them all.
 */
export class Seats {
  /** One seating change at a time: a bot's plugin reload adds and removes in quick succession. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly state: ChannelState) {}

  private get ctx() { return this.state.ctx; }

  /** Seat every registered bot without announcing it (at setup, also after a reload of this plugin). */
  async seatAll(): Promise<void> {
    for (const bot of this.state.bots.all()) await this.sync(bot.name, false);
  }

  /** Follow a bot being added or removed (the bot directory's watcher). */
  changed(bot: SeatedBot): void {
    const run = () => this.sync(bot.name, true).catch((err) => this.state.ctx.log.error(`seating bot ${bot.name} failed`, err));
    this.queue = this.queue.then(run, run);
  }

  /** Wait for seating changes in progress (tests, shutdown). */
  settled(): Promise<unknown> { return this.queue; }

  /** Make the channels a bot sits in match what it should: its spec's and its invites, or none when it is gone. */
  private async sync(name: string, announce: boolean): Promise<void> {
    const key = nameKey(name);
    const bot = this.state.bots.get(name);
    const wanted = new Set<Channel>();
    if (bot) {
      for (const c of bot.channels ?? []) {
        if (!isValidChannelName(c)) {
          this.state.ctx.log.warn(`bot ${bot.name}: ${JSON.stringify(c)} is not a channel name; not seated there`);
          continue;
        }
        wanted.add(await this.state.ensure(c));
      }
      for (const ch of this.state.channels.values()) if (ch.invitedBots.has(key)) wanted.add(ch);
    }
    for (const ch of this.state.channels.values()) {
      if (ch.bots.has(key) && !wanted.has(ch)) {
        const was = ch.bots.get(key)!;
        ch.bots.delete(key);
        if (announce) this.ctx.delivery.toSessions(ch.sessions, event('part', { channel: ch.name, user: was, text: `${was} was removed` }));
      }
    }
    for (const ch of wanted) {
      if (ch.bots.has(key) || this.state.channels.get(ch.key) !== ch) continue;
      ch.bots.set(key, bot!.name);
      if (announce) this.ctx.delivery.toSessions(ch.sessions, event('join', { channel: ch.name, user: bot!.name }));
    }
  }

  /** /channel invite of a bot: kept, and the bot sits down now when it is registered. */
  async invite(ch: Channel, name: string): Promise<void> {
    await this.state.store.putMember(ch.id, name, true, true, this.state.now());
    this.state.cluster.botInvited(ch, name);
    if (this.seatInvited(ch, name)) this.state.toMembers(ch, event('join', { channel: ch.name, user: this.state.bots.get(name)!.name }));
  }

  /** A bot invited (here or, in a cluster, on another node) sits down when it is registered; whether it did now. */
  seatInvited(ch: Channel, name: string): boolean {
    ch.invitedBots.set(nameKey(name), name);
    const bot = this.state.bots.get(name);
    if (!bot || ch.bots.has(nameKey(name))) return false;
    ch.bots.set(nameKey(name), bot.name);
    return true;
  }

  /** Channels a bot sits in now. */
  channelsOf(name: string): Channel[] {
    const key = nameKey(name);
    return [...this.state.channels.values()].filter((ch) => ch.bots.has(key));
  }
}
