import { VERSION, isValidUserName, type Session } from '../../core/index.js';
import { CAPABILITIES, type Capability } from './api.js';
import { acceptableNick, NICK, type Link } from './link.js';
import { ircLine } from './message.js';
import { tagMask } from './format.js';
import { CHATHISTORY_MAX } from './chathistory.js';
import type { ChannelLimits } from '../channels/api.js';

/**
 * Connection registration (RFC 2812 §3.1, IRCv3 CAP 302 and SASL PLAIN) and logging in: SASL,
 * PASS name:password, or NickServ IDENTIFY/REGISTER after the welcome. The nick is the account name.
 */
export class Registration {
  constructor(private readonly link: Link) {}

  cap(session: Session, params: string[]): void | Promise<void> {
    const st = this.link.state(session);
    const sub = (params[0] ?? '').toUpperCase();
    const me = st.welcomed ? this.link.nick(session) : '*';
    const srv = this.link.server;
    switch (sub) {
      case 'LS': {
        if (!st.welcomed) st.negotiating = true;
        const v302 = Number(params[1] ?? 0) >= 302;
        const caps = CAPABILITIES.map((c) => (c === 'sasl' && v302 ? 'sasl=PLAIN' : c)).join(' ');
        this.link.write(session, ircLine(srv, 'CAP', [me, 'LS', caps]));
        return;
      }
      case 'LIST':
        this.link.write(session, ircLine(srv, 'CAP', [me, 'LIST', [...st.caps].join(' ')]));
        return;
      case 'REQ': {
        if (!st.welcomed) st.negotiating = true;
        const asked = (params[1] ?? '').split(' ').filter((c) => c);
        const known = (c: string): c is Capability => (CAPABILITIES as readonly string[]).includes(c);
        if (asked.length === 0 || !asked.every((c) => known(c.replace(/^-/, '')))) {
          this.link.write(session, ircLine(srv, 'CAP', [me, 'NAK', params[1] ?? '']));
          return;
        }
        for (const c of asked) {
          if (c.startsWith('-')) st.caps.delete(c.slice(1) as Capability); else st.caps.add(c as Capability);
        }
        st.tagMask = tagMask(st.caps);
        this.link.write(session, ircLine(srv, 'CAP', [me, 'ACK', asked.join(' ')]));
        return;
      }
      case 'END':
        st.negotiating = false;
        return this.ready(session);
      default:
        this.link.numeric(session, '410', sub || '*', 'Invalid CAP command');
    }
  }

  nick(session: Session, params: string[]): void | Promise<void> {
    const st = this.link.state(session);
    const nick = params[0] ?? '';
    if (!nick) return this.link.numeric(session, '431', 'No nickname given');
    if (session.user) {
      if (nick !== session.user.name) this.link.numeric(session, '432', nick, 'Your nick is your account name here');
      return;
    }
    if (!acceptableNick(nick)) return this.link.numeric(session, '432', nick, 'Nicks are 2 to 32 letters, digits, _ - or .');
    if (st.welcomed && nick !== st.nick) this.link.write(session, ircLine(this.link.mask(st.nick ?? '*'), 'NICK', [nick]));
    st.nick = nick;
    return this.ready(session);
  }

  user(session: Session, params: string[]): void | Promise<void> {
    const st = this.link.state(session);
    if (st.welcomed) return this.link.numeric(session, '462', 'You may not reregister');
    // The real name may not be empty either (RFC 2812 §3.1.3; Modern): a client sending one is broken.
    if (params.length < 4 || !params[3]) return this.link.numeric(session, '461', 'USER', 'Not enough parameters');
    st.user = true;
    return this.ready(session);
  }

  pass(session: Session, params: string[]): void {
    const st = this.link.state(session);
    if (st.welcomed) return this.link.numeric(session, '462', 'You may not reregister');
    // irssi sends `PASS alice:two words` without a colon: a password with spaces is the whole rest.
    st.pass = params.join(' ');
  }

  async authenticate(session: Session, params: string[]): Promise<void> {
    const st = this.link.state(session);
    const arg = params[0] ?? '';
    if (session.user) return this.link.numeric(session, '907', 'You have already authenticated');
    if (arg === '*') { st.sasl = false; st.saslData = undefined; return this.link.numeric(session, '906', 'SASL authentication aborted'); }
    if (!st.sasl) {
      if (arg.toUpperCase() !== 'PLAIN') {
        this.link.numeric(session, '908', 'PLAIN', 'are available SASL mechanisms');
        return this.link.numeric(session, '904', 'SASL authentication failed');
      }
      st.sasl = true;
      st.saslData = '';
      this.link.write(session, 'AUTHENTICATE +');
      return;
    }
    // A chunk is at most 400 bytes (IRCv3 SASL): a longer one is refused, the attempt ended.
    if (arg.length > 400) {
      st.sasl = false;
      st.saslData = undefined;
      return this.link.numeric(session, '905', 'SASL message too long');
    }
    if (arg !== '+') st.saslData = (st.saslData ?? '') + arg;
    // A 400-byte chunk means more follow; the whole is bounded (a name and a password fit in far less).
    if (arg.length === 400 && (st.saslData ?? '').length < 1600) return;
    const data = st.saslData ?? '';
    st.sasl = false;
    st.saslData = undefined;
    const [, authcid = '', password = ''] = Buffer.from(data, 'base64').toString('utf8').split('\u0000');
    // The replies name the client as it was when it asked (`*` before its NICK), not as the login made it.
    const asked = this.link.nick(session);
    const refused = await this.login(session, authcid, password);
    if (refused) {
      this.link.notice(session, refused);
      return this.link.numeric(session, '904', 'SASL authentication failed');
    }
    const name = session.user!.name;
    const srv = this.link.server;
    this.link.write(session, ircLine(srv, '900', [asked, this.link.mask(name), name, `You are now logged in as ${name}`]),
      ircLine(srv, '903', [asked, 'SASL authentication successful']));
  }

  /**
   * Log the session in through the auth plugin's /login (its rate limits, ban check and login hooks).
   * Returns the refusal's text, or undefined when logged in. The account name becomes the nick; what
   * the login sends (auto-joins, kept messages) waits until the NICK change and the welcome are out.
   */
  async login(session: Session, name: string, password: string, verb: 'login' | 'register' = 'login'): Promise<string | undefined> {
    if (!isValidUserName(name)) return `${JSON.stringify(name.slice(0, 40))} is not an account name.`;
    if (!password || password.includes('\n')) return 'A password is needed.';
    const st = this.link.state(session);
    st.hold = true;
    try {
      const replies = await this.link.run(session, `/${verb} ${name} ${password}`);
      const error = this.link.error(replies);
      if (error || !session.user) return error ? `${error.code}: ${error.text}` : 'Not logged in.';
      const account = session.user.name;
      if (st.welcomed && st.nick !== account) this.link.write(session, ircLine(this.link.mask(st.nick ?? '*'), 'NICK', [account]));
      st.nick = account;
      return undefined;
    } finally {
      if (st.welcomed) this.release(session);
    }
  }

  /**
   * NICK, USER and CAP END are in: log in with PASS if given, then the welcome. The line that completed
   * registration waits for it, so what the client sent next (a JOIN, a PING) runs after the 001 and the
   * login, not before them (it would get 451).
   */
  private async ready(session: Session): Promise<void> {
    const st = this.link.state(session);
    if (st.welcomed || !st.nick || !st.user || st.negotiating) return;
    // Registration completed during SASL: the SASL attempt is aborted (IRCv3 SASL 3.1).
    if (st.sasl) {
      st.sasl = false;
      st.saslData = undefined;
      this.link.numeric(session, '906', 'SASL authentication aborted');
    }
    await this.register(session);
  }

  private async register(session: Session): Promise<void> {
    const st = this.link.state(session);
    st.welcomed = true; // no second registration while the PASS login runs
    if (st.pass !== undefined && !session.user) {
      const pass = st.pass;
      st.pass = undefined;
      const colon = pass.indexOf(':');
      const [name, password] = colon > 0 ? [pass.slice(0, colon), pass.slice(colon + 1)] : [st.nick!, pass];
      st.welcomed = false;
      const refused = await this.login(session, name, password);
      st.welcomed = true;
      if (refused) {
        this.link.numeric(session, '464', `Password incorrect (${refused})`);
        this.link.write(session, 'ERROR :Closing link: bad password');
        this.link.ctx.sessions.close(session, 'bad password');
        return;
      }
    }
    this.welcome(session);
  }

  private welcome(session: Session): void {
    const link = this.link;
    const cfg = link.ctx.config;
    const nick = link.nick(session);
    link.numeric(session, '001', `Welcome to the ${cfg.network} IRC network, ${nick}`);
    link.numeric(session, '002', `Your host is ${link.server}, running version whiskr-${VERSION}`);
    link.numeric(session, '003', 'This server speaks Whiskr and IRC');
    link.numeric(session, '004', link.server, `whiskr-${VERSION}`, 'io', 'inst');
    link.numeric(session, '005', ...isupport(cfg.network, link.ctx.service('channels')?.limits()), 'are supported by this server');
    this.lusers(session);
    this.motd(session);
    if (!session.user) {
      link.notice(session, 'You are not logged in: you can only log in. /msg NickServ IDENTIFY <password> '
        + `(the account ${nick}), IDENTIFY <account> <password>, or REGISTER <password> to make the account ${nick}. `
        + 'Clients can also log in with SASL PLAIN or the server password account:password.', 'NickServ');
    }
    this.release(session);
  }

  /** Let held output out (after the welcome, or after a login's NICK change). */
  release(session: Session): void {
    const st = this.link.state(session);
    st.hold = false;
    const held = st.held;
    st.held = undefined;
    const nick = this.link.nick(session);
    if (held) for (const out of held) session.write(out.replaceAll(NICK, nick));
  }

  lusers(session: Session): void {
    const sessions = this.link.ctx.sessions;
    const users = sessions.onlineUsers();
    let anonymous = 0;
    for (const s of sessions.all()) if (!s.user) anonymous++;
    const opers = users.filter((u) => u.role === 'admin').length;
    this.link.numeric(session, '251', `There are ${users.length} users and 0 invisible on 1 servers`);
    if (opers) this.link.numeric(session, '252', String(opers), 'operator(s) online');
    if (anonymous) this.link.numeric(session, '253', String(anonymous), 'unknown connection(s)');
    this.link.numeric(session, '255', `I have ${sessions.count} clients and 0 servers`);
    // Without their optional counts: no maximum is kept.
    this.link.numeric(session, '265', `Current local users: ${users.length}`);
    this.link.numeric(session, '266', `Current global users: ${users.length}`);
  }

  motd(session: Session): void {
    const lines = this.link.ctx.config.motd;
    if (lines.length === 0) return this.link.numeric(session, '422', 'MOTD File is missing');
    this.link.numeric(session, '375', `- ${this.link.server} Message of the day -`);
    for (const l of lines) this.link.numeric(session, '372', `- ${l}`);
    this.link.numeric(session, '376', 'End of /MOTD command.');
  }
}

/**
 * What the server supports, honestly (RPL_ISUPPORT): names as Whiskr checks them, and the channels plugin's
 * limits when it is loaded (TOPICLEN counts characters there, so a client counting bytes stays within it).
 */
export function isupport(network: string, channels?: ChannelLimits): string[] {
  return [
    'CASEMAPPING=ascii', 'CHANTYPES=#', 'CHANNELLEN=50', 'NICKLEN=32', 'PREFIX=(o)@', 'CHANMODES=,,,inst',
    ...(channels ? [`TOPICLEN=${channels.topicLength}`, `CHANLIMIT=#:${channels.channelsPerUser || ''}`] : []),
    `NETWORK=${network}`, 'MAXTARGETS=1', 'UTF8ONLY', `CHATHISTORY=${CHATHISTORY_MAX}`, 'MSGREFTYPES=msgid,timestamp',
  ];
}
