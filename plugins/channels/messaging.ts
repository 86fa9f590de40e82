import { WhiskrError, event, isoTime, nameKey, type ChatMessage, type CommandContext, type Session } from '../../core/index.js';
import type { ChannelState } from './state.js';
import type { Channel } from './model.js';
import { Inbox } from './inbox.js';

type Kind = ChatMessage['kind'];

/**
 * Every message takes the same path: built with a server id, checked (`message.check`: mutes), delivered
 * encoded once per format, then announced (`message.sent`: history). Lines starting with `!` in a channel
 * with bots, and direct messages to a bot, go to the bots; their answers take the same path.
 */
export class Messenger {
  /** Direct messages kept for offline users. */
  private readonly inbox: Inbox;

  constructor(private readonly state: ChannelState) {
    this.inbox = new Inbox(state);
  }

  private get ctx() { return this.state.ctx; }

  private build(from: string, where: { channel: string } | { to: string }, text: string, kind: Kind, bot: boolean): ChatMessage {
    const msg: ChatMessage = { id: this.ctx.ids.next(), from, ...where, text, ts: isoTime(this.state.now()), kind };
    if (bot) msg.bot = true;
    return msg;
  }

  /** A message into a channel, to every open session in it except `except` (the sender's, which gets it as its reply). */
  toChannel(ch: Channel, from: string, text: string, kind: Kind, session?: Session, bot = false): ChatMessage {
    const msg = this.build(from, { channel: ch.name }, text, kind, bot);
    this.ctx.check('message.check', msg, session);
    this.state.toMembers(ch, event('message', msg), session);
    this.ctx.emit('message.sent', msg);
    return msg;
  }

  /**
   * A direct message: to every session of the recipient and the sender's other sessions. To a user with
   * no open session it is kept (offline: true) for their next login.
   */
  async direct(from: string, to: string, text: string, kind: Kind, session?: Session, bot = false): Promise<ChatMessage> {
    const msg = this.build(from, { to }, text, kind, bot);
    this.ctx.check('message.check', msg, session);
    const toBot = this.state.bots.get(to) !== undefined;
    // Online here or on another node of a cluster: delivered now; else kept.
    if (!this.ctx.sessions.isOnline(to) && !toBot) {
      await this.inbox.keep(to, msg);
      // They may have logged in while it was being stored: hand it over (not waiting for them to read it),
      // here or on their node (whose login may have claimed their kept messages just before this one was).
      const here = [...this.ctx.sessions.of(to)];
      if (here.length > 0) {
        this.deliverOffline(to, here).catch((err) => this.state.ctx.log.warn(`kept messages for ${to} not delivered yet: ${(err as Error).message}`));
      } else {
        this.state.cluster.kept(to);
      }
    }
    // Both users' sessions wherever they are (the sender's own is `session`, which gets it as its reply).
    this.ctx.delivery.toUsers(nameKey(to) === nameKey(from) ? [to] : [to, from], event('message', msg), session);
    this.ctx.emit('message.sent', msg);
    return msg;
  }

  /** Hand a user the direct messages kept while they were away, oldest first, once (see Inbox). */
  deliverOffline(user: string, sessions: Iterable<Session>): Promise<number> {
    return this.inbox.deliver(user, sessions);
  }

  /**
   * What a user typed to a channel or a user (plain line, /msg, /me, /notice): sent, echoed to the sender as
   * the reply, then put to the bots when it is for them (not a notice).
   */
  async say(ctx: CommandContext, target: string | undefined, text: string, kind: Kind): Promise<void> {
    const { session, user } = ctx;
    if (!target) throw new WhiskrError('NO_TARGET', 'No current target: /join #channel, or /switch <#channel|user>, or /msg <#channel|user> <text…>.');
    if (target.startsWith('#')) {
      const ch = this.state.joinedChannel(target, user.name);
      const msg = this.toChannel(ch, user.name, text, kind, session);
      ctx.reply(event('message', msg));
      // A notice is never answered automatically (RFC 2812 §3.3.2), by bots neither.
      if (text.startsWith('!') && ch.bots.size > 0 && kind !== 'notice') void this.askBots(ch, user.name, text);
      return;
    }
    const to = await this.state.requireUser(target);
    const msg = await this.direct(user.name, to.name, text, kind, session);
    ctx.reply(event('message', msg));
    if (to.kind === 'bot' && kind !== 'notice') void this.askBot(user.name, to.name, text);
  }

  /** A `!command` in a channel: the bots present answer into the channel. */
  private async askBots(ch: Channel, from: string, text: string): Promise<void> {
    try {
      const replies = await this.state.bots.channelLine(from, ch.name, text, [...ch.bots.values()]);
      for (const r of replies) {
        // The channel may be gone, or the bot removed, while it was thinking.
        if (this.state.channels.get(ch.key) !== ch || !ch.bots.has(nameKey(r.bot))) continue;
        this.toChannel(ch, r.bot, r.text, 'message', undefined, true);
      }
    } catch (err) {
      this.state.ctx.log.warn(`bot answer in ${ch.name} not delivered: ${(err as Error).message}`);
    }
  }

  /** A direct message to a bot: its answers come back as direct messages from it. */
  private async askBot(from: string, bot: string, text: string): Promise<void> {
    try {
      const replies = await this.state.bots.directLine(from, bot, text);
      for (const r of replies) await this.direct(r.bot, from, r.text, 'message', undefined, true);
    } catch (err) {
      this.state.ctx.log.warn(`bot ${bot}'s answer to ${from} not delivered: ${(err as Error).message}`);
    }
  }

  /** The service's post(): a user or a bot says something, on the same path as anyone (no bot commands run). */
  async post(from: string, target: string, text: string, opts: { kind?: Kind; bot?: boolean } = {}): Promise<ChatMessage> {
    const bot = opts.bot ?? this.state.bots.get(from) !== undefined;
    const kind = opts.kind ?? 'message';
    if (target.startsWith('#')) {
      const ch = this.state.find(target);
      if (!ch) throw new WhiskrError('NO_SUCH_CHANNEL', `There is no channel ${target}.`);
      return this.toChannel(ch, from, text, kind, undefined, bot);
    }
    const to = await this.state.requireUser(target);
    return this.direct(from, to.name, text, kind, undefined, bot);
  }
}
