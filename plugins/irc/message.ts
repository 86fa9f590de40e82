/**
 * IRC lines (RFC 1459/2812 framing, IRCv3 message-tags): a pure parser and its mirror serializer, as
 * irc-framework's irclineparser.js is. No I/O; table-driven tests in message.test.ts.
 */
export interface IrcMessage {
  tags: Record<string, string>;
  /** The source (`nick!user@host` or a server name), without its colon; empty when the client sent none. */
  prefix: string;
  /** Upper-cased command or three-digit numeric. */
  command: string;
  params: string[];
}

/** At most this many parameters are read (RFC 2812: 15); the rest stay in the last one. */
const MAX_PARAMS = 15;

const TAG_ESCAPES: Record<string, string> = { ':': ';', s: ' ', '\\': '\\', r: '\r', n: '\n' };

function unescapeTag(v: string): string {
  if (!v.includes('\\')) return v;
  return v.replace(/\\(.?)/g, (_m, c: string) => TAG_ESCAPES[c] ?? c);
}

export function escapeTag(v: string): string {
  return v.replace(/[\\; \r\n]/g, (c) => ({ '\\': '\\\\', ';': '\\:', ' ': '\\s', '\r': '\\r', '\n': '\\n' })[c]!);
}

/** Parse one line (without CR LF); undefined when it has no command. */
export function parseIrc(line: string): IrcMessage | undefined {
  let i = 0;
  const tags: Record<string, string> = {};
  if (line.startsWith('@')) {
    const end = line.indexOf(' ');
    if (end < 0) return undefined;
    for (const pair of line.slice(1, end).split(';')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      if (eq < 0) tags[pair] = ''; else tags[pair.slice(0, eq)] = unescapeTag(pair.slice(eq + 1));
    }
    i = end + 1;
  }
  while (line[i] === ' ') i++;
  let prefix = '';
  if (line[i] === ':') {
    const end = line.indexOf(' ', i);
    if (end < 0) return undefined;
    prefix = line.slice(i + 1, end);
    i = end + 1;
  }
  while (line[i] === ' ') i++;
  const params: string[] = [];
  let command = '';
  while (i < line.length) {
    if (command && (line[i] === ':' || params.length === MAX_PARAMS - 1)) {
      params.push(line[i] === ':' ? line.slice(i + 1) : line.slice(i));
      break;
    }
    let end = line.indexOf(' ', i);
    if (end < 0) end = line.length;
    const word = line.slice(i, end);
    if (!command) command = word.toUpperCase(); else params.push(word);
    i = end;
    while (line[i] === ' ') i++;
  }
  return command ? { tags, prefix, command, params } : undefined;
}

/**
 * One line out, without CR LF. The last parameter gets a colon when it needs one (empty, a space, or a
 * leading colon); no parameter may hold CR, LF or NUL (the caller's text went through `inert`).
 */
export function ircLine(prefix: string, command: string, params: readonly string[], tags?: string): string {
  let out = tags ? `@${tags} ` : '';
  if (prefix) out += `:${prefix} `;
  out += command;
  for (let n = 0; n < params.length; n++) {
    const p = params[n]!;
    const last = n === params.length - 1;
    out += last && (p === '' || p.includes(' ') || p.startsWith(':')) ? ` :${p}` : ` ${p}`;
  }
  return out;
}

/** RFC 1459's line limit, CR LF included, tags not counted (IRCv3 message-tags). */
export const MAX_LINE = 512;
/** The longest nick (ISUPPORT NICKLEN): room kept for each receiver's nick put in later (format.ts NICK). */
export const NICKLEN = 32;
const NICK_MARK = '\u0000';

const utf8Length = (cp: number) => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);

/**
 * Text cut into pieces of at most `max` UTF-8 bytes, between code points, preferably after a space (the
 * space stays at the end of its piece): the pieces joined give the text back, nothing lost or repeated.
 */
export function splitUtf8(text: string, max: number): string[] {
  const limit = Math.max(max, 4); // a piece always holds at least one code point
  if (Buffer.byteLength(text) <= limit) return [text];
  const pieces: string[] = [];
  let start = 0; // where the current piece begins (UTF-16 index)
  let bytes = 0;
  let space = -1; // just after the last space in the current piece
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const size = utf8Length(cp);
    if (bytes + size > limit) {
      const cut = space > start ? space : i;
      pieces.push(text.slice(start, cut));
      start = cut;
      bytes = Buffer.byteLength(text.slice(start, i));
      space = -1;
      continue;
    }
    bytes += size;
    i += width;
    if (cp === 0x20) space = i;
  }
  pieces.push(text.slice(start));
  return pieces;
}

/** Replies whose last parameter is a list of words (NAMES, WHOIS channels, ISON, USERHOST): cut between words. */
const WORD_LISTS = new Set(['353', '319', '303', '302']);

/**
 * A line fitted to 512 bytes (without its tags): a PRIVMSG or NOTICE too long is cut into several lines
 * of the same source, command and target, the tags on each but `msgid` on the first only (the message's
 * id names one line, as Ergo does for a client without draft/multiline); a list of names is cut between
 * names into several replies; anything else has its last parameter shortened. Each NICK mark counts as a nick of NICKLEN bytes.
 */
export function fitLine(line: string): string[] {
  // Fast path: a line this short cannot pass 512 bytes (3 bytes at most per UTF-16 unit).
  if (line.length * 3 + 2 + NICKLEN * 2 <= MAX_LINE) return [line];
  const sp = line.startsWith('@') ? line.indexOf(' ') : -1;
  const tags = sp > 0 ? line.slice(1, sp) : '';
  const rest = sp > 0 ? line.slice(sp + 1) : line;
  const marks = rest.split(NICK_MARK).length - 1;
  const room = MAX_LINE - 2 - marks * (NICKLEN - 1);
  if (Buffer.byteLength(rest) <= room) return [line];
  const msg = parseIrc(rest);
  if (!msg || msg.params.length === 0) return [line];
  const params = msg.params.slice(0, -1);
  const last = msg.params[msg.params.length - 1]!;
  // Everything before the last parameter, with ' :' (ircLine's 'x' stands for the colon).
  const budget = room - Buffer.byteLength(ircLine(msg.prefix, msg.command, [...params, 'x']));
  if (WORD_LISTS.has(msg.command)) {
    return splitUtf8(last, budget).map((p) => ircLine(msg.prefix, msg.command, [...params, p.trimEnd()], tags || undefined));
  }
  if (msg.command !== 'PRIVMSG' && msg.command !== 'NOTICE') {
    return [ircLine(msg.prefix, msg.command, [...params, splitUtf8(last, budget)[0]!], tags || undefined)];
  }
  const ctcp = /^\u0001([A-Z]+ )(.*?)\u0001?$/s.exec(last);
  const pieces = ctcp ? splitUtf8(ctcp[2]!, budget - ctcp[1]!.length - 2).map((p) => `\u0001${ctcp[1]}${p}\u0001`) : splitUtf8(last, budget);
  const laterTags = tags.split(';').filter((t) => t && !t.startsWith('msgid=')).join(';');
  return pieces.map((p, n) => ircLine(msg.prefix, msg.command, [...params, p], (n === 0 ? tags : laterTags) || undefined));
}
