/**
 * The IRC listener: real IRC clients (irssi, WeeChat, HexChat, The Lounge…) on the same accounts, channels,
 * history, bots and moderation, on a port of its own. Each IRC command is mapped onto the Whiskr command
 * that does the same (ctx.sessions.run), and Whiskr's events are rendered as IRC lines by a wire format
 * (ctx.format), encoded once per fan-out; the core keeps the sessions, admission, flood control and bans.
 */
import { definePlugin, inert, type InputItem, type Session } from '../../core/index.js';
import { ircOptions } from './config.js';
import { ircFormat } from './format.js';
import { Link } from './link.js';
import { ircLine, parseIrc, type IrcMessage } from './message.js';
import { LabeledReply, wantsLabel } from './labeled.js';
import { Registration } from './registration.js';
import { Chat } from './chat.js';
import { ChatHistory } from './chathistory.js';
import type { Invited } from './chat.js';
import './api.js';

/** RFC 1459's 512 bytes and IRCv3's 8191 bytes of tags (the framing bound; a client's own tags get 4094, below). */
const MAX_LINE_BYTES = 512 + 8191;
/** The cluster topic on which an invite made on one node reaches the IRC clients on the others. */
const INVITED_TOPIC = 'irc.invited';
/** IRCv3 message-tags: a client's tag data is at most 4094 bytes (the rest of 8191 is the server's). */
const MAX_CLIENT_TAG_BYTES = 4094;
const VERSION = '1.0.0';

type Handler = (session: Session, params: string[]) => void | Promise<void>;

export default definePlugin({
  name: 'irc',
  version: VERSION,
  description: 'an IRC listener: IRC clients on the same chat',
  dependencies: ['auth'],
  optionalDependencies: ['channels'],
  options: ircOptions,
  setup(ctx) {
    const link = new Link(ctx, VERSION);
    const registration = new Registration(link);
    const chat = new Chat(link, registration);
    const chathistory = new ChatHistory(link);
    const cfg = ctx.config;

    ctx.format('irc', ircFormat({
      server: cfg.serverName,
      userHost: cfg.userHost,
      text: (e) => ctx.output.encode(e, 'text'),
      state: (s) => s.data.irc,
      away: (user) => {
        const p = ctx.service('channels')?.presence(user);
        return p?.status === 'away' ? (p.text ?? '') : undefined;
      },
    }));

    /** What a client may do before it is logged in: register, authenticate, and leave. */
    const before: Record<string, Handler> = {
      CAP: (s, p) => registration.cap(s, p),
      NICK: (s, p) => registration.nick(s, p),
      USER: (s, p) => registration.user(s, p),
      PASS: (s, p) => registration.pass(s, p),
      AUTHENTICATE: (s, p) => registration.authenticate(s, p),
      PING: (s, p) => chat.ping(s, p),
      PONG: () => {},
      QUIT: (s, p) => chat.quit(s, p),
      PRIVMSG: (s, p) => chat.privmsg(s, p),
      NOTICE: () => {},
      MOTD: (s) => registration.motd(s),
    };
    const after: Record<string, Handler> = {
      JOIN: (s, p) => chat.join(s, p),
      PART: (s, p) => chat.part(s, p),
      NOTICE: (s, p) => chat.privmsg(s, p, true),
      TOPIC: (s, p) => chat.topic(s, p),
      NAMES: (s, p) => chat.names(s, p),
      WHO: (s, p) => chat.who(s, p),
      WHOIS: (s, p) => chat.whois(s, p),
      WHOWAS: (s, p) => chat.whowas(s, p),
      LIST: (s, p) => chat.list(s, p),
      AWAY: (s, p) => chat.away(s, p),
      ISON: (s, p) => chat.ison(s, p),
      USERHOST: (s, p) => chat.userhost(s, p),
      INVITE: (s, p) => chat.invite(s, p),
      MODE: (s, p) => chat.mode(s, p),
      KICK: (s, p) => chat.kick(s, p),
      LUSERS: (s) => registration.lusers(s),
      TIME: (s) => link.numeric(s, '391', link.server, new Date(ctx.clock.now()).toUTCString()),
      WHISKR: (s, p) => chat.whiskr(s, `/${p.join(' ')}`),
      CHATHISTORY: (s, p) => chathistory.run(s, p),
    };

    async function input(session: Session, item: InputItem): Promise<void> {
      if ('error' in item) {
        if (item.error === 'LINE_TOO_LONG') link.numeric(session, '417', 'Input line was too long');
        // UTF8ONLY: a standard reply clients act on (the command is not known: the line was not read).
        else link.write(session, `:${link.server} FAIL * INVALID_UTF8 :That line was not valid UTF-8; it was discarded`);
        return;
      }
      if (tooLong(item.line)) return link.numeric(session, '417', 'Input line was too long');
      const msg = parseIrc(item.line);
      if (!msg) return;
      const label = msg.tags.label;
      if (!wantsLabel(label, link.state(session).caps)) return run(session, msg);
      const reply = new LabeledReply(label, link.server);
      await ctx.sessions.reply(session, reply, () => run(session, msg));
      session.write(reply.end());
    }

    async function run(session: Session, msg: IrcMessage): Promise<void> {
      const handler = session.user ? after[msg.command] ?? before[msg.command] : before[msg.command] ?? after[msg.command];
      if (!handler) return link.numeric(session, '421', msg.command.slice(0, 32), 'Unknown command');
      if (!before[msg.command] && !session.user) {
        return link.numeric(session, '451', 'You have not logged in: /msg NickServ IDENTIFY <password>, or SASL PLAIN, or PASS account:password');
      }
      await handler(session, msg.params);
    }

    /** Past IRC's limits: 512 bytes without the tags (CR LF counted), 4094 bytes of the client's tags. */
    function tooLong(line: string): boolean {
      if (line.length <= 510 / 3) return false;
      const sp = line.startsWith('@') ? line.indexOf(' ') : -1;
      if (sp > 0 && Buffer.byteLength(line.slice(1, sp)) > MAX_CLIENT_TAG_BYTES) return true;
      return Buffer.byteLength(sp > 0 ? line.slice(sp + 1) : line) > 510;
    }

    const listening = ctx.listen({
      port: cfg.port,
      ...(cfg.host ? { host: cfg.host } : {}),
      tlsPort: cfg.tlsPort,
      format: 'irc',
      maxLineBytes: MAX_LINE_BYTES,
      open: (session) => { link.state(session); },
      input,
      refused(session, item, refusal) {
        const label = 'line' in item ? parseIrc(item.line)?.tags.label : undefined;
        if (!wantsLabel(label, link.state(session).caps)) return session.send(refusal);
        const reply = new LabeledReply(label, link.server);
        session.write(reply.write(ircLine(link.server, 'NOTICE', [link.nick(session), inert(`${refusal.code}: ${refusal.text}`)])) + reply.end());
      },
      refusal: (text) => `ERROR :${text}\r\n`,
    });
    ctx.provide('irc', { port: (tls) => listening.port(tls) });

    // invite-notify: members with the capability see INVITEs to their channel, here and on the other nodes.
    ctx.hook('channel.invited', (info) => {
      chat.inviteNotify(info);
      ctx.cluster.publish(INVITED_TOPIC, info);
    });
    ctx.cluster.subscribe(INVITED_TOPIC, (d) => chat.inviteNotify(d as Invited));
  },
});
