import { inert, isValidUserName, type ChatMessage, type ServerEvent, type Session } from '../../core/index.js';
import { isValidChannelName, type ChannelsService } from '../channels/api.js';
import type { Link } from './link.js';
import { ircLine } from './message.js';
import type { Registration } from './registration.js';

/** The service nicks: NickServ logs in; Whiskr runs any Whiskr command (`/msg Whiskr /ban bob 1h`). */
export const NICKSERV = 'NickServ';
export const WHISKR = 'Whiskr';

type Errors = Partial<Record<string, string>>;
/** The most users a WHO mask lists (a bound on one reply; WHO #channel lists the channel). */
const WHO_MAX = 200;
/** An invite made on the line protocol or IRC, here or on another node (the channels plugin's hook). */
export interface Invited { channel: string; user: string; by: string }
/** Whiskr error codes as the IRC numerics clients act on; any other error is a NOTICE with its code and text. */
const SEND_ERRORS: Errors = { NO_SUCH_CHANNEL: '403', NO_SUCH_USER: '401', NOT_IN_CHANNEL: '404' };

/**
 * The IRC commands of a logged-in client, each mapped onto the Whiskr command that does the same, so
 * the checks, errors, mutes, bans and history are the line protocol's.
 */
export class Chat {
  constructor(private readonly link: Link, private readonly registration: Registration) {}

  private get channels(): ChannelsService | undefined { return this.link.ctx.service('channels'); }

  /** An error reply as a numeric when IRC has one for it, else a NOTICE with the code and text. */
  private refuse(session: Session, replies: ServerEvent[], target: string, codes: Errors = SEND_ERRORS): boolean {
    const err = this.link.error(replies);
    if (!err) return false;
    const numeric = codes[err.code];
    if (numeric) this.link.numeric(session, numeric, target, inert(err.text));
    else this.link.notice(session, `${err.code}: ${err.text}`);
    return true;
  }

  async join(session: Session, params: string[]): Promise<void> {
    const targets = (params[0] ?? '').split(',').filter((t) => t);
    if (targets.length === 0) return this.link.numeric(session, '461', 'JOIN', 'Not enough parameters');
    for (const t of targets.slice(0, 10)) {
      if (t === '0') { for (const c of this.channels?.channelsOf(session.user!.name) ?? []) await this.link.send(session, `/part ${c}`); continue; }
      if (!isValidChannelName(t)) { this.link.numeric(session, '479', t.slice(0, 64), 'Channel names are # then 1 to 49 letters, digits, _ - or .'); continue; }
      // The join reply (JOIN, topic, NAMES) and the replay after it go out in the IRC format, in order.
      await this.link.send(session, `/join ${t}`);
    }
  }

  async part(session: Session, params: string[]): Promise<void> {
    const targets = (params[0] ?? '').split(',').filter((t) => t);
    if (targets.length === 0) return this.link.numeric(session, '461', 'PART', 'Not enough parameters');
    for (const t of targets.slice(0, 10)) {
      const replies = await this.link.run(session, `/part ${t} ${params[1] ?? ''}`.trimEnd());
      if (this.refuse(session, replies, t, { NO_SUCH_CHANNEL: '403', NOT_IN_CHANNEL: '442' })) continue;
      // Our own PART, as the others in the channel get it.
      this.link.write(session, ircLine(this.link.mask(session.user!.name), 'PART', params[1] ? [t, inert(params[1])] : [t]));
    }
  }

  /** PRIVMSG and NOTICE: to a channel, a user, a bot, or a service nick. */
  async privmsg(session: Session, params: string[], notice = false): Promise<void> {
    const [target = '', text = ''] = params;
    if (!target) return notice ? undefined : this.link.numeric(session, '411', 'No recipient given (PRIVMSG)');
    if (!text) return notice ? undefined : this.link.numeric(session, '412', 'No text to send');
    if (this.link.same(target, NICKSERV)) return this.nickserv(session, text);
    if (this.link.same(target, WHISKR)) return this.whiskr(session, text.startsWith('/') ? text : `/${text}`);
    if (!session.user) return this.link.notice(session, 'Log in first: /msg NickServ IDENTIFY <password>.', NICKSERV);
    let kind: ChatMessage['kind'] = notice ? 'notice' : 'message';
    let body = text;
    if (text.startsWith('\u0001')) {
      const ctcp = text.replace(/^\u0001|\u0001$/g, '');
      if (!ctcp.toUpperCase().startsWith('ACTION ') || notice) return; // other CTCP (VERSION, PING…, replies) is not relayed
      kind = 'action';
      body = ctcp.slice(7);
    }
    if (!body.trim()) return;
    let replies: ServerEvent[];
    if (kind === 'action') {
      // /me goes to the current target: make it this one first (what /switch does on the line protocol).
      replies = await this.link.run(session, `/switch ${target}`);
      if (!this.link.error(replies)) replies = await this.link.run(session, `/me ${body}`);
    } else {
      replies = await this.link.run(session, `/${notice ? 'notice' : 'msg'} ${target} ${body}`);
    }
    if (notice ? this.link.error(replies) : this.refuse(session, replies, target)) return;
    if (!notice && !target.startsWith('#')) this.awayReply(session, target);
    const st = this.link.state(session);
    const echo = st.caps.has('echo-message');
    // A message to oneself: this connection is also its receiver. The delivery is not part of the command's
    // reply (with labeled-response only the echo carries the label), so it goes once the command is over.
    const toSelf = !target.startsWith('#') && this.link.same(target, session.user.name);
    for (const e of replies) {
      if (e.type !== 'message') continue;
      if (echo) session.send(e);
      if (toSelf) setImmediate(() => { if (!session.closed) session.send(e); });
    }
  }

  /** RPL_AWAY: the user written to (or invited) is away, and why. */
  private awayReply(session: Session, nick: string): void {
    const p = isValidUserName(nick) ? this.channels?.presence(nick) : undefined;
    if (p?.status === 'away') this.link.numeric(session, '301', nick, inert(p.text || 'away'));
  }

  async nickserv(session: Session, text: string): Promise<void> {
    const [verb = '', ...args] = text.trim().split(/\s+/);
    const say = (t: string) => this.link.notice(session, t, NICKSERV);
    switch (verb.toUpperCase()) {
      case 'IDENTIFY': case 'LOGIN': {
        if (session.user) return say(`You are logged in as ${session.user.name} already.`);
        // IDENTIFY <password> logs in as the nick; with two words or more the first is the account (so a
        // password with spaces is given with its account name).
        const [name, password] = args.length >= 2 ? [args[0]!, args.slice(1).join(' ')] : [this.link.nick(session), args[0] ?? ''];
        const refused = await this.registration.login(session, name, password);
        return say(refused ?? `You are now logged in as ${session.user!.name}.`);
      }
      case 'REGISTER': {
        if (session.user) return say(`You are logged in as ${session.user.name} already.`);
        const nick = this.link.nick(session);
        if (!isValidUserName(nick)) return say('Choose a nick that is a valid account name first (2 to 32 letters, digits, _ - .).');
        const refused = await this.registration.login(session, nick, args.join(' '), 'register');
        return say(refused ?? `The account ${nick} is made, and you are logged in.`);
      }
      default:
        return say('NickServ knows IDENTIFY [account] <password> and REGISTER <password>.');
    }
  }

  /** A Whiskr command (`/msg Whiskr ban bob 1h`, or raw `WHISKR ban bob 1h`); its replies come back as NOTICEs. */
  async whiskr(session: Session, line: string): Promise<void> {
    if (!session.user) return this.link.notice(session, 'Log in first: /msg NickServ IDENTIFY <password>.', NICKSERV);
    const replies = await this.link.run(session, line);
    this.link.relay(session, replies, WHISKR);
  }

  async quit(session: Session, params: string[]): Promise<void> {
    await this.link.send(session, `/quit ${params[0] ?? ''}`.trimEnd());
  }

  async topic(session: Session, params: string[]): Promise<void> {
    const [channel = '', text] = params;
    if (!channel) return this.link.numeric(session, '461', 'TOPIC', 'Not enough parameters');
    const replies = await this.link.run(session, text === undefined ? `/topic ${channel}` : `/topic ${channel} ${text === '' ? '-' : text}`);
    if (this.refuse(session, replies, channel, { NO_SUCH_CHANNEL: '403', NOT_IN_CHANNEL: '442' })) return;
    const e = replies.find((r) => r.type === 'topic');
    if (!e || e.type !== 'topic') return;
    if (text !== undefined) return this.link.write(session, ircLine(this.link.mask(e.by), 'TOPIC', [e.channel, inert(e.topic)]));
    if (e.topic) this.link.numeric(session, '332', e.channel, inert(e.topic));
    else this.link.numeric(session, '331', e.channel, 'No topic is set');
  }

  /** A channel's members as this user may see it (a private channel only to its members). */
  private members(session: Session, channel: string): string[] | undefined {
    const ch = this.channels;
    if (!ch) return undefined;
    const name = ch.channelName(channel);
    if (!name) return undefined;
    if (ch.isPrivate(name) && !ch.channelsOf(session.user!.name).some((c) => this.link.same(c, name))) return undefined;
    return ch.present(name);
  }

  names(session: Session, params: string[]): void {
    const channel = params[0] ?? '';
    const members = channel ? this.members(session, channel) : undefined;
    const name = this.channels?.channelName(channel) ?? channel;
    if (members) {
      const sign = this.channels?.isPrivate(name) ? '@' : '=';
      // userhost-in-names: each name as its mask. Link.write cuts the list into replies of 512 bytes.
      const full = this.link.state(session).caps.has('userhost-in-names');
      const names = members.map((m) => (full ? this.op(m).replace(m, this.link.mask(m)) : this.op(m)));
      this.link.numeric(session, '353', sign, name, names.join(' '));
    }
    this.link.numeric(session, '366', name || '*', 'End of /NAMES list.');
  }

  private op(name: string): string {
    for (const s of this.link.ctx.sessions.of(name)) if (s.isAdmin) return `@${name}`;
    return name;
  }

  who(session: Session, params: string[]): void {
    const mask = params[0] ?? '';
    const members = mask.startsWith('#') ? this.members(session, mask)
      : /[*?]/.test(mask) || mask === '0' ? this.matching(mask)
        : (isValidUserName(mask) && this.link.ctx.sessions.isOnline(mask) ? [mask] : []);
    const channel = mask.startsWith('#') ? (this.channels?.channelName(mask) ?? mask) : '*';
    for (const m of members ?? []) {
      const away = this.channels?.presence(m).status === 'away' ? 'G' : 'H';
      const op = this.op(m).startsWith('@') ? '*@' : '';
      this.link.numeric(session, '352', channel, m, this.link.host, this.link.server, m, `${away}${op}`, `0 ${m}`);
    }
    this.link.numeric(session, '315', mask || '*', 'End of /WHO list.');
  }

  /** Online users whose nick matches a WHO mask (`*` any run, `?` one character; `0` or `*`: all), at most WHO_MAX. */
  private matching(mask: string): string[] {
    const glob = mask === '0' ? '*' : mask.replace(/!.*$/, '');
    const re = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    const found: string[] = [];
    for (const u of this.link.ctx.sessions.onlineUsers()) {
      if (re.test(u.name)) found.push(u.name);
      if (found.length === WHO_MAX) break;
    }
    return found.sort();
  }

  async whois(session: Session, params: string[]): Promise<void> {
    const nick = params[params.length - 1] ?? '';
    if (!nick) return this.link.numeric(session, '431', 'No nickname given');
    const replies = await this.link.run(session, `/whois ${nick}`);
    const e = replies.find((r) => r.type === 'whois');
    if (!e || e.type !== 'whois') {
      this.link.numeric(session, '401', nick, 'No such nick');
      return this.link.numeric(session, '318', nick, 'End of /WHOIS list.');
    }
    this.link.numeric(session, '311', e.user, e.user, this.link.host, '*', e.bot ? 'a Whiskr bot' : e.user);
    if (e.channels.length) this.link.numeric(session, '319', e.user, e.channels.join(' '));
    this.link.numeric(session, '312', e.user, this.link.server, 'Whiskr');
    if (e.role === 'admin') this.link.numeric(session, '313', e.user, 'is a server administrator');
    if (e.status === 'away') this.link.numeric(session, '301', e.user, inert(e.text ?? 'away'));
    if (!e.bot) this.link.numeric(session, '330', e.user, e.user, 'is logged in as');
    this.link.numeric(session, '318', e.user, 'End of /WHOIS list.');
  }

  /**
   * WHOWAS: an account that is offline, with when it was last seen; nothing else is kept of past nicks
   * (a nick is an account name).
   */
  async whowas(session: Session, params: string[]): Promise<void> {
    const nick = params[0] ?? '';
    if (!nick) return this.link.numeric(session, '461', 'WHOWAS', 'Not enough parameters');
    const replies = isValidUserName(nick) ? await this.link.run(session, `/whois ${nick}`) : [];
    const e = replies.find((r) => r.type === 'whois');
    if (e?.type === 'whois' && !e.bot && e.status === 'offline') {
      this.link.numeric(session, '314', e.user, e.user, this.link.host, '*', e.user);
      this.link.numeric(session, '312', e.user, this.link.server, e.lastSeen ? `last seen ${e.lastSeen}` : 'never seen');
    } else {
      this.link.numeric(session, '406', nick, 'There was no such nickname');
    }
    this.link.numeric(session, '369', e?.type === 'whois' ? e.user : nick, 'End of WHOWAS');
  }

  /** LIST, or LIST #a,#b for those channels only. */
  async list(session: Session, params: string[]): Promise<void> {
    const replies = await this.link.run(session, '/channels');
    const only = params[0]?.startsWith('#') ? params[0].split(',').filter((c) => c) : undefined;
    this.link.numeric(session, '321', 'Channel', 'Users  Name');
    for (const e of replies) {
      if (e.type !== 'channels') continue;
      for (const c of e.channels) {
        if (only && !only.some((o) => this.link.same(o, c.name))) continue;
        this.link.numeric(session, '322', c.name, String(c.members), inert(c.topic));
      }
    }
    this.link.numeric(session, '323', 'End of /LIST');
  }

  async away(session: Session, params: string[]): Promise<void> {
    const text = params[0] ?? '';
    const replies = await this.link.run(session, `/away ${text}`.trimEnd());
    if (this.refuse(session, replies, 'AWAY')) return;
    if (text) this.link.numeric(session, '306', 'You have been marked as being away');
    else this.link.numeric(session, '305', 'You are no longer marked as being away');
  }

  ison(session: Session, params: string[]): void {
    const nicks = params.join(' ').split(' ').filter((n) => n && isValidUserName(n) && this.link.ctx.sessions.isOnline(n));
    this.link.numeric(session, '303', nicks.join(' '));
  }

  userhost(session: Session, params: string[]): void {
    const found = params.slice(0, 5).filter((n) => isValidUserName(n) && this.link.ctx.sessions.isOnline(n))
      .map((n) => `${n}${this.op(n).startsWith('@') ? '*' : ''}=${this.channels?.presence(n).status === 'away' ? '-' : '+'}${n}@${this.link.host}`);
    this.link.numeric(session, '302', found.join(' '));
  }

  async invite(session: Session, params: string[]): Promise<void> {
    const [nick = '', channel = ''] = params;
    if (!nick || !channel) return this.link.numeric(session, '461', 'INVITE', 'Not enough parameters');
    const name = this.channels?.channelName(channel);
    if (name && isValidUserName(nick) && this.channels!.channelsOf(nick).some((c) => this.link.same(c, name))) {
      return this.link.numeric(session, '443', nick, name, 'is already on channel');
    }
    const replies = await this.link.run(session, `/channel invite ${channel} ${nick}`);
    if (this.refuse(session, replies, channel, { NO_SUCH_CHANNEL: '403', NO_SUCH_USER: '401', NOT_IN_CHANNEL: '442' })) return;
    this.link.numeric(session, '341', nick, channel);
    this.awayReply(session, nick);
  }

  /**
   * invite-notify: the channel's members here with the capability see the INVITE (not the inviter, nor the
   * invitee, who got it as theirs). Without the capability members are not told (RFC 2812).
   */
  inviteNotify({ channel, user, by }: Invited): void {
    for (const name of this.channels?.present(channel) ?? []) {
      if (this.link.same(name, by) || this.link.same(name, user)) continue;
      for (const s of this.link.ctx.sessions.of(name)) {
        const st = s.data.irc;
        if (s.format !== 'irc' || !st?.caps.has('invite-notify') || st.hold) continue;
        const tags = st.caps.has('account-tag') || st.caps.has('message-tags') ? `account=${by}` : undefined;
        this.link.write(s, ircLine(this.link.mask(by), 'INVITE', [user, channel], tags));
      }
    }
  }

  mode(session: Session, params: string[]): void {
    const [target = '', change] = params;
    if (target.startsWith('#')) {
      const members = this.members(session, target);
      if (!members) return this.link.numeric(session, '403', target, 'No such channel');
      const name = this.channels!.channelName(target)!;
      if (change === 'b' || change === '+b') return this.link.numeric(session, '368', name, 'End of channel ban list');
      if (change) return this.link.numeric(session, '482', name, 'Channel modes are not changed from IRC here (Whiskr has /channel)');
      return this.link.numeric(session, '324', name, this.channels!.isPrivate(name) ? '+nsi' : '+n');
    }
    if (!this.link.same(target, session.user!.name)) return this.link.numeric(session, '502', 'Cannot change mode for other users');
    if (change) return this.link.numeric(session, '501', 'User modes are not changed here');
    this.link.numeric(session, '221', session.isAdmin ? '+io' : '+i');
  }

  /** KICK: Whiskr's kick disconnects a user from the server (admins only); the channel is named for the client's sake. */
  async kick(session: Session, params: string[]): Promise<void> {
    const [channel = '', nick = '', reason = ''] = params;
    if (!channel || !nick) return this.link.numeric(session, '461', 'KICK', 'Not enough parameters');
    if (this.channels && !this.members(session, channel)) return this.link.numeric(session, '403', channel, 'No such channel');
    if (!session.isAdmin) return this.link.numeric(session, '482', channel, 'Only Whiskr admins (IRC operators) kick');
    const replies = await this.link.run(session, `/kick ${nick} ${reason}`.trimEnd());
    if (this.refuse(session, replies, nick)) return;
    this.link.relay(session, replies, WHISKR);
  }

  ping(session: Session, params: string[]): void {
    if (params.length === 0) return this.link.numeric(session, '461', 'PING', 'Not enough parameters');
    this.link.write(session, ircLine(this.link.server, 'PONG', [this.link.server, params[0] ?? '']));
  }
}
