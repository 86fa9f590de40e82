import type { Client } from './client.js';

/** How the generator speaks to one kind of server. */
export interface Protocol {
  readonly kind: 'raw' | 'irc' | 'whiskr';
  /** Whether a sender receives its own channel messages back (Whiskr echoes them; IRC and raw do not). */
  readonly echo: boolean;
  /** Connections opened at once while connecting many clients (ngircd's listen backlog is 10). */
  readonly connectConcurrency: number;
  /** After connect: log in (IRC: register the connection). */
  login(c: Client, name: string): Promise<void>;
  join(c: Client, channel: string): Promise<void>;
  /** A round trip: everything the server sent before the answer has arrived. */
  sync(c: Client, token: string): Promise<void>;
  /** The line a sender writes to say `text` in `channel`, LF-terminated. */
  messageLine(channel: string, text: string): string;
}

export const PASSWORD = 'bench-password-1';

/** The marker every benchmark message carries: `~B~ <sender> <seq> <ms>` then padding. */
export const MARK = '~B~';

/** The text of a benchmark message, padded so that the line a sender writes is `lineBytes` long. */
export function payload(p: Protocol, channel: string, sender: number, seq: number, now: number, lineBytes = 100): string {
  const head = `${MARK} ${sender} ${seq} ${now.toFixed(3)} `;
  const frame = p.messageLine(channel, '').length;
  const pad = Math.max(0, lineBytes - frame - head.length);
  return p.messageLine(channel, head + 'x'.repeat(pad));
}

/** Parse a received line that carries a benchmark message: [sender, seq, sentAtMs], or undefined. */
export function parseMark(line: string): [number, number, number] | undefined {
  const i = line.indexOf(MARK);
  if (i < 0) return undefined;
  const a = i + MARK.length + 1;
  const b = line.indexOf(' ', a);
  const c = line.indexOf(' ', b + 1);
  const d = line.indexOf(' ', c + 1);
  if (b < 0 || c < 0 || d < 0) return undefined;
  return [Number(line.slice(a, b)), Number(line.slice(b + 1, c)), Number(line.slice(c + 1, d))];
}

/** The raw broadcast peer (bench/peers/raw-server.ts): JOIN #room, PING token, anything else is said to the room. */
export const rawProtocol: Protocol = {
  kind: 'raw',
  echo: false,
  connectConcurrency: 256,
  async login() {},
  async join(c, channel) {
    const ok = c.waitFor((l) => l === `JOINED ${channel}`, 'JOINED');
    c.write(`JOIN ${channel}\n`);
    await ok;
  },
  async sync(c, token) {
    const ok = c.waitFor((l) => l === `PONG ${token}`, 'PONG');
    c.write(`PING ${token}\n`);
    await ok;
  },
  messageLine: (_channel, text) => `${text}\n`,
};

function ircProtocol(connectConcurrency: number, withPassword = false): Protocol {
  return {
    kind: 'irc',
    echo: false,
    connectConcurrency,
    async login(c, name) {
      const prev = c.onLine;
      c.onLine = (l) => { if (l.startsWith('PING ')) c.write(`PONG ${l.slice(5)}\r\n`); prev?.(l); };
      const done = c.waitFor((l) => /^:\S+ (376|422|4\d\d) /.test(l) || l.startsWith('ERROR'), 'end of MOTD', 60_000);
      c.write(`${withPassword ? `PASS ${name}:${PASSWORD}\r\n` : ''}NICK ${name}\r\nUSER ${name} 0 * :bench\r\n`);
      const line = await done;
      if (!/^:\S+ (376|422) /.test(line)) throw new Error(`${name}: registration failed: ${line}`);
    },
    async join(c, channel) {
      const name = c.name;
      const done = c.waitFor((l) => l.includes(` 366 ${name} ${channel} `) || /^:\S+ 4\d\d /.test(l), 'end of NAMES', 60_000);
      c.write(`JOIN ${channel}\r\n`);
      const line = await done;
      if (!line.includes(' 366 ')) throw new Error(`${name}: JOIN failed: ${line}`);
    },
    async sync(c, token) {
      const ok = c.waitFor((l) => l.includes('PONG') && l.includes(token), 'PONG', 60_000);
      c.write(`PING :${token}\r\n`);
      await ok;
    },
    messageLine: (channel, text) => `PRIVMSG ${channel} :${text}\r\n`,
  };
}

/** ngircd: its listen backlog is 10, so connections are opened a few at a time. */
export const ngircdProtocol = ircProtocol(8);
/** InspIRCd completes registrations in a once-a-second pass: open many at once. */
export const inspircdProtocol = ircProtocol(1000);
/** Whiskr's IRC listener: accounts exist, clients log in with the server password account:password. */
export const whiskrIrcProtocol = ircProtocol(256, true);

const isType = (l: string, type: string) => l.startsWith(`{"type":"${type}"`);

/** Accounts exist before the server starts (bench/peers/whiskr-accounts.ts): a client only logs in. */
async function whiskrLogin(c: Client, name: string): Promise<void> {
  const done = c.waitFor((l) => isType(l, 'login') || (isType(l, 'error') && l.includes('"command":"login"')), 'login reply', 120_000);
  c.write(`/format json\n/login ${name} ${PASSWORD}\n`);
  const line = await done;
  if (!isType(line, 'login')) throw new Error(`${name}: /login failed: ${line}`);
}

export const whiskrProtocol: Protocol = {
  kind: 'whiskr',
  echo: true,
  connectConcurrency: 256,
  login: whiskrLogin,
  async join(c, channel) {
    const done = c.waitFor((l) => (isType(l, 'join') && l.includes(`"user":"${c.name}"`)) || (isType(l, 'error') && l.includes('"command":"join"')), 'join reply', 60_000);
    c.write(`/join ${channel}\n`);
    const line = await done;
    if (!isType(line, 'join')) throw new Error(`${c.name}: /join failed: ${line}`);
    await this.sync(c, `j-${c.name}`);
  },
  async sync(c, token) {
    const ok = c.waitFor((l) => isType(l, 'pong') && l.includes(token), 'pong', 60_000);
    c.write(`/ping ${token}\n`);
    await ok;
  },
  messageLine: (_channel, text) => `${text}\n`,
};
