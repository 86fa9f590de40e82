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
