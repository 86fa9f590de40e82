import { inert, nameKey, type ChatMessage, type EventOf, type ServerEvent, type Session, type WireFormat } from '../../core/index.js';
import type { IrcState } from './api.js';
import { escapeTag, fitLine, ircLine } from './message.js';

/**
 * Whiskr's events as IRC lines. An event is encoded once for every IRC session that receives it (a
 * channel message fanned out to a thousand members is one encoding); `adapt` then fits it to one session:
 * NICK stands for the receiver's nick in numerics, and tags are cut to the capabilities it asked for.
 */
export const NICK = '\u0000';
const CRLF = '\r\n';

export interface FormatSettings {
  /** Our server name, the source of numerics. */
  server: string;
  /** The host part of every user's mask (nick!nick@host). */
  userHost: string;
  /** The text rendering of an event (the core's), for events IRC has no line for: sent as NOTICEs. */
  text(e: ServerEvent): string;
  /** The IRC state of a session. */
  state(session: Session): IrcState | undefined;
  /** A user's away text ('' when away without one), or undefined when not away (for away-notify on join). */
  away?(user: string): string | undefined;
}

let batches = 0;

export const mask = (nick: string, host: string) => `${nick}!${nick}@${host}`;

/** A numeric from us to the receiver (NICK is replaced by its nick in adapt). */
export const numeric = (server: string, code: string, ...params: string[]) => ircLine(server, code, [NICK, ...params]);

function messageTags(m: ChatMessage): string {
  let tags = `time=${m.ts}`;
  tags += `;msgid=${escapeTag(m.id)}`;
  if (!m.bot) tags += `;account=${m.from}`;
  return tags;
}

/** A chat message as PRIVMSG (an action as CTCP ACTION, a notice as NOTICE), tagged with its time, id and sender's account. */
export function privmsg(m: ChatMessage, host: string): string {
  const text = inert(m.text);
  const body = m.kind === 'action' ? `\u0001ACTION ${text}\u0001` : text;
  return ircLine(mask(m.from, host), m.kind === 'notice' ? 'NOTICE' : 'PRIVMSG', [m.channel ?? m.to ?? '', body], messageTags(m));
}

export function ircFormat(s: FormatSettings): WireFormat {
  const srv = s.server;
  let lastEvent: ServerEvent | undefined;
  let lastShared = false;
  const notices = (e: ServerEvent) => s.text(e).split('\n').filter((l) => l).map((l) => ircLine(srv, 'NOTICE', [NICK, l]));
  const encoders: { [K in ServerEvent['type']]?: (e: EventOf<K>) => string | string[] } = {
    message: (e) => privmsg(e, s.userHost),
    // The replay after a join: a chathistory batch for clients with `batch` (fit() unwraps it for the others).
    history: (e) => {
      if (e.messages.length === 0) return [];
      const ref = `h${++batches}`;
      return [
        ircLine(srv, 'BATCH', [`+${ref}`, 'chathistory', e.target]),
        ...e.messages.map((m) => privmsg(m, s.userHost).replace(/^@/, `@batch=${ref};`)),
        ircLine(srv, 'BATCH', [`-${ref}`]),
      ];
    },
    join: (e) => {
      const lines = [ircLine(mask(e.user, s.userHost), 'JOIN', [e.channel])];
      // away-notify: someone away who joins is followed by their AWAY (fit() drops it for the others).
      const away = e.members ? undefined : s.away?.(e.user);
      if (away !== undefined) lines.push(ircLine(mask(e.user, s.userHost), 'AWAY', [inert(away || 'away')]));
      // The joiner's own join carries the channel's state: topic and names, as after a JOIN.
      if (e.members) {
        if (e.topic) lines.push(numeric(srv, '332', e.channel, inert(e.topic)));
        lines.push(numeric(srv, '353', e.private ? '@' : '=', e.channel, e.members.join(' ')));
        lines.push(numeric(srv, '366', e.channel, 'End of /NAMES list.'));
        if (e.more) lines.push(ircLine(srv, 'NOTICE', [NICK, `${e.channel} has ${e.count ?? 'more'} people; NAMES lists the first ${e.members.length}.`]));
      }
      return lines;
    },
    // Leaving the server is a QUIT (one per receiver: adapt drops the same user's next ones), a channel a PART.
    part: (e) => (e.quit ? ircLine(mask(e.user, s.userHost), 'QUIT', [inert(e.text || 'Quit')])
      : ircLine(mask(e.user, s.userHost), 'PART', e.text ? [e.channel, inert(e.text)] : [e.channel])),
    topic: (e) => ircLine(mask(e.by, s.userHost), 'TOPIC', [e.channel, inert(e.topic)]),
    invite: (e) => ircLine(mask(e.by, s.userHost), 'INVITE', [NICK, e.channel], `account=${e.by}`),
    notice: (e) => ircLine(srv, 'NOTICE', [NICK, `[${inert(e.from)}] ${inert(e.text)}`]),
    pong: (e) => ircLine(srv, 'PONG', [srv, e.token || srv]),
    // Only to clients that asked (away-notify, in adapt); going offline is already a PART from each channel.
    presence: (e) => (e.status === 'offline' ? [] : ircLine(mask(e.user, s.userHost), 'AWAY', e.status === 'away' ? [inert(e.text || 'away')] : [])),
    welcome: () => [],
    ok: () => [],
    bye: (e) => `ERROR :Closing link: ${inert(e.text || 'Bye.')}`,
    shutdown: (e) => [ircLine(srv, 'NOTICE', [NICK, inert(`Server shutting down${e.text ? `: ${e.text}` : ''}`)]), `ERROR :Server shutting down`],
    kicked: (e) => `ERROR :Kicked by ${e.by}${e.text ? `: ${inert(e.text)}` : ''}`,
    banned: (e) => `ERROR :Banned by ${e.by}${e.text ? `: ${inert(e.text)}` : ''}${e.until ? ` (until ${e.until})` : ''}`,
    error: (e) => {
      if (e.code === 'LINE_TOO_LONG') return numeric(srv, '417', 'Input line was too long');
      if (e.code === 'NO_SUCH_CHANNEL') return [numeric(srv, '403', e.command ? `(${e.command})` : '*', inert(e.text))];
      return ircLine(srv, 'NOTICE', [NICK, inert(`${e.code}: ${e.text}`)]);
    },
  };
  return {
    encode(e) {
      const fn = encoders[e.type] as ((e: ServerEvent) => string | string[]) | undefined;
      const out = fn ? fn(e) : notices(e);
      // No line past IRC's 512 bytes: a long message is sent as several PRIVMSGs (message.ts fitLine).
      const lines = typeof out === 'string' ? fitLine(out) : out.flatMap(fitLine);
      return lines.length ? lines.join(CRLF) + CRLF : '';
    },
    variant(e, session) {
      const st = s.state(session);
      if (st) noteQuit(st, e);
      // Whether the event names its receiver is asked once per event, not once per receiver.
      if (e !== lastEvent) { lastEvent = e; lastShared = SHARED.has(e.type) && !(e.type === 'join' && e.members); }
      if (!st || st.hold || !lastShared) return undefined;
      if (st.quitRepeat) return 128;
      if (e.type === 'presence') return st.caps.has('away-notify') ? 16 : 32;
      return st.tagMask | (e.type === 'join' && st.caps.has('extended-join') ? 8 : 0) | (e.type === 'join' && st.caps.has('away-notify') ? 16 : 0)
        | (e.type === 'history' && st.caps.has('batch') ? 64 : 0);
    },
    adapt(encoded, e, session) {
      const st = s.state(session);
      if (st?.quitRepeat && e.type === 'part') return '';
      if (e.type === 'presence' && !st?.caps.has('away-notify')) return '';
      // Before the welcome (a login's auto-joins during SASL), output waits: a client ignores it before 001.
      // Its nick is put in when it is let out (the login may change it).
      if (st?.hold) {
        const out = fit(encoded, e, st, s);
        if (out) (st.held ??= []).push(out);
        return '';
      }
      const out = fit(encoded, e, st, s);
      return out.includes(NICK) ? out.replaceAll(NICK, st?.nick ?? '*') : out;
    },
  };
}

/**
 * Events whose IRC form names no receiver (no NICK in it): every session with the same capabilities gets
 * the same bytes (WireFormat.variant). A join with members is the joiner's own and carries numerics.
 */
const SHARED = new Set<string>(['message', 'history', 'join', 'part', 'topic', 'presence', 'pong', 'bye', 'kicked', 'banned']);

/**
 * The parts of one logout (one per channel shared with the receiver) reach a session in a row: the first is
 * its QUIT, the next ones nothing. variant() runs once per session and event, so it keeps the count;
 * adapt() (once per variant) reads `quitRepeat` of the session it is given.
 */
function noteQuit(st: IrcState, e: ServerEvent): void {
  if (e.type === 'part' && e.quit) {
    const key = nameKey(e.user);
    st.quitRepeat = st.lastQuit === key;
    st.lastQuit = key;
  } else if (st.lastQuit !== undefined) {
    st.lastQuit = undefined;
    st.quitRepeat = false;
  }
}

/** The tag capabilities as a number, kept on the state when they change (CAP REQ). */
export function tagMask(caps: ReadonlySet<string>): number {
  return (caps.has('message-tags') ? 1 : 0) | (caps.has('server-time') ? 2 : 0) | (caps.has('account-tag') ? 4 : 0);
}

/** The shared encoding fitted to a session's capabilities (tags, extended-join). */
function fit(encoded: string, e: ServerEvent, st: IrcState | undefined, s: FormatSettings): string {
  let out = encoded;
  if (e.type === 'join' && e.members && st?.caps.has('userhost-in-names')) out = withMasks(out, e, s);
  // extended-join: the account (the nick, on Whiskr) and the real name (the same) after the channel.
  if (e.type === 'join' && st?.caps.has('extended-join')) out = out.replace(CRLF, ` ${e.user} :${e.user}${CRLF}`);
  if (e.type === 'join' && !st?.caps.has('away-notify') && out.includes(' AWAY')) out = out.split(CRLF).filter((l) => !/^:\S+ AWAY( |$)/.test(l)).join(CRLF);
  if (e.type === 'history' && !st?.caps.has('batch')) out = out.split(CRLF).filter((l) => !l.startsWith(`:`) || !l.includes(' BATCH ')).join(CRLF);
  if (out.startsWith('@') || out.includes('\n@')) out = cutTags(out, st);
  return out;
}

const NAMES_LINE = /^:\S+ 353 /;

/** userhost-in-names: the joiner's NAMES with each name as its mask (cut again into lines of 512 bytes). */
function withMasks(out: string, e: EventOf<'join'>, s: FormatSettings): string {
  const lines = out.split(CRLF);
  const at = lines.findIndex((l) => NAMES_LINE.test(l));
  if (at < 0 || !e.members) return out;
  const names = fitLine(numeric(s.server, '353', e.private ? '@' : '=', e.channel, e.members.map((m) => mask(m, s.userHost)).join(' ')));
  return [...lines.slice(0, at), ...names, ...lines.slice(at).filter((l) => !NAMES_LINE.test(l))].join(CRLF);
}

/** Keep the tags a session asked for: all with message-tags, else `time` with server-time and `account` with account-tag. */
function cutTags(out: string, st: IrcState | undefined): string {
  const all = st?.caps.has('message-tags') ?? false;
  const time = st?.caps.has('server-time') ?? false;
  const account = st?.caps.has('account-tag') ?? false;
  const batch = st?.caps.has('batch') ?? false;
  if (all && (batch || !out.includes('@batch='))) return out;
  return out.split(CRLF).map((line) => {
    if (!line.startsWith('@')) return line;
    const sp = line.indexOf(' ');
    const kept = line.slice(1, sp).split(';').filter((t) => (t.startsWith('batch=') ? batch
      : all || (time && t.startsWith('time=')) || (account && t.startsWith('account='))));
    return kept.length ? `@${kept.join(';')}${line.slice(sp)}` : line.slice(sp + 1);
  }).join(CRLF);
}
