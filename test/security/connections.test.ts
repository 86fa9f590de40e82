import { afterEach, describe, expect, it } from 'vitest';
import { networkInterfaces } from 'node:os';
import type { Socket } from 'node:net';
import { TestClient, TestServer, closed, eventually, rawSocket } from '../../core/testing/index.js';

/**
 * Slow and hostile connections (docs/protocol.md, "Connecting and framing"): clients that never read, never finish a line, hold
 * connections open without logging in, or come in numbers. The server bounds what each one costs and
 * the others do not notice.
 */
let server: TestServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.stop();
  server = undefined;
});

async function raw(port: number, host?: string): Promise<Socket> {
  const s = await rawSocket(port, host);
  sockets.push(s);
  return s;
}

/** Text lines a raw socket receives, collected as they come. */
function collect(s: Socket): string[] {
  const lines: string[] = [];
  let buf = '';
  s.setEncoding('utf8');
  s.on('data', (d: string) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) { lines.push(buf.slice(0, i)); buf = buf.slice(i + 1); }
  });
  return lines;
}

function nonLoopbackAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

describe('a client that never reads', () => {
  it('is disconnected once its unread output passes maxOutputBytes, never holding more than the bound plus one turn of output', async () => {
    const maxOutputBytes = 256 * 1024;
    server = await TestServer.start({ config: { server: { maxOutputBytes } } });
    const other = await server.json();
    const s = await raw(server.port);
    s.pause(); // never reads: the kernel buffers fill, then the server's
    await eventually(() => server!.server.sessions.size === 2, 'both sessions open');
    const session = [...server.server.sessions].find((x) => x.format === 'text')!;

    // Sample the session's waiting output on every turn of the event loop while it is flooded.
    let peak = 0;
    const sampler = setInterval(() => { if (!session.closed) peak = Math.max(peak, session.queuedOutputBytes); }, 1);
    const help = '/help\n'.repeat(2000);
    let sent = 0;
    try {
      while (!session.closed && sent < 2_000_000) {
        if (!s.write(help)) await new Promise((r) => s.once('drain', r));
        sent += 2000;
        await new Promise((r) => setImmediate(r));
      }
    } finally { clearInterval(sampler); }

    expect(session.closed).toBe(true);
    expect(session.closeReason).toBe('output overflow');
    expect(server.server.sessions.has(session)).toBe(false);
    // The unread backlog is judged at each flush; what one event-loop turn renders for the session on top of
    // it is capped at 4× the bound (core/session.ts), so a client that never reads costs at most 5× the bound.
    expect(peak).toBeLessThanOrEqual(maxOutputBytes * 5);
    // The socket is closed by the server (the client sees it once it reads what was sent).
    s.resume();
    await closed(s);
    // Others were not affected.
    expect(await other.request('/ping alive', 'pong')).toMatchObject({ token: 'alive' });
  });
});

describe('a channel member that never reads', () => {
  it('is disconnected while the channel chats on; the others get every message', async () => {
    const maxOutputBytes = 128 * 1024;
    server = await TestServer.start({ config: { server: { maxOutputBytes } }, plugins: { auth: { scryptN: 1024 }, history: {}, channels: {} } });
    const talker = await server.user('talker');
    await talker.next('history');
    const listener = await server.user('listener');
    await listener.next('history');
    const lurker = await server.user('lurker');
    await lurker.next('history');
    const session = [...server.server.sessionsOf('lurker')][0]!;
    lurker.socket.pause(); // stops reading: the kernel buffers fill, then the server's
    let peak = 0;
    const sampler = setInterval(() => { if (!session.closed) peak = Math.max(peak, session.queuedOutputBytes); }, 1);
    const text = 'x'.repeat(1000);
    let sent = 0;
    try {
      while (!session.closed && sent < 20_000) {
        // 20 lines at a time: what one turn renders for a reader stays well under the bound (see the README
        // on a single reply larger than maxOutputBytes).
        talker.write(Array.from({ length: 20 }, (_, i) => `${text} ${sent + i}\n`).join(''));
        sent += 20;
        await talker.next((e) => e.type === 'message' && e.text === `${text} ${sent - 1}`, 10_000);
      }
    } finally { clearInterval(sampler); }
    expect(session.closeReason).toBe('output overflow');
    // The bound, plus what one turn rendered for the lurker: at most the 20 messages of one paste.
    expect(peak).toBeLessThanOrEqual(maxOutputBytes + 20 * (text.length + 200));
    await listener.next((e) => e.type === 'message' && e.text === `${text} ${sent - 1}`, 10_000);
    expect(listener.events.filter((e) => e.type === 'message').length).toBe(sent);
    expect(await talker.request('after the lurker left', 'message')).toMatchObject({ type: 'message' });
  }, 30_000);
});

describe('a client that never finishes a line', () => {
  it('gets one LINE_TOO_LONG for 8 MiB without a line feed and keeps its connection', async () => {
    server = await TestServer.start();
    const c = await server.json();
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    for (let i = 0; i < 128; i++) {
      if (!c.socket.write(chunk)) await new Promise((r) => c.socket.once('drain', r));
    }
    c.write('\n');
    const err = await c.next('error');
    expect(err.code).toBe('LINE_TOO_LONG');
    expect(await c.request('/ping after', 'pong')).toMatchObject({ token: 'after' });
    expect(c.events.filter((e) => e.type === 'error')).toHaveLength(1);
  });

  it('is closed by the login timeout even while it trickles bytes (slowloris)', async () => {
    server = await TestServer.start({ config: { server: { loginTimeoutSeconds: 0.4 } } });
    const s = await raw(server.port);
    const lines = collect(s);
    const trickle = setInterval(() => { if (!s.destroyed) s.write('x'); }, 20);
    try {
      await closed(s);
    } finally { clearInterval(trickle); }
    expect(lines.some((l) => l.startsWith('! NOT_LOGGED_IN'))).toBe(true);
    expect(server.server.sessions.size).toBe(0);
  });
});

describe('many connections', () => {
  it('closes hundreds of idle anonymous connections after loginTimeoutSeconds, leaving none behind', async () => {
    server = await TestServer.start({ config: { server: { loginTimeoutSeconds: 0.5 } } });
    const all = await Promise.all(Array.from({ length: 300 }, () => raw(server!.port)));
    const outputs = all.map(collect);
    await eventually(() => server!.server.sessions.size === 300, '300 sessions');
    await Promise.all(all.map(closed));
    expect(server.server.sessions.size).toBe(0);
    for (const lines of outputs) expect(lines.at(-1)).toMatch(/^! NOT_LOGGED_IN: No login within 0.5 seconds/);
  });

  it('does not close a session that logged in before the login timeout', async () => {
    server = await TestServer.start({ config: { server: { loginTimeoutSeconds: 0.3 } }, plugins: { auth: { scryptN: 1024 } } });
    const user = await server.user('alice');
    const idle = await raw(server.port);
    collect(idle);
    await closed(idle); // an anonymous one, opened after, is closed by the timeout
    expect(user.closed).toBe(false);
    expect(await user.request('/ping later', 'pong')).toMatchObject({ token: 'later' });
  });

  it('exempts loopback from the per-address cap by default', async () => {
    server = await TestServer.start({ config: { server: { maxConnectionsPerAddress: 5 } } });
    const clients = await Promise.all(Array.from({ length: 50 }, () => server!.connect()));
    expect(clients.every((c) => !c.closed)).toBe(true);
    expect(server.server.sessions.size).toBe(50);
  });

  it('holds loopback to the per-address cap when limitLoopback is set, and frees the slot on close', async () => {
    server = await TestServer.start({ config: { server: { maxConnectionsPerAddress: 5, limitLoopback: true } } });
    const five = await Promise.all(Array.from({ length: 5 }, () => server!.connect()));
    const sixth = await raw(server.port);
    const lines = collect(sixth);
    await closed(sixth);
    expect(lines).toEqual(['! RATE_LIMITED: Too many connections from 127.0.0.1.']);
    expect(server.server.sessions.size).toBe(5);
    five[0]!.close();
    await eventually(() => server!.server.sessions.size === 4, 'the closed session to end');
    const again = await server.connect();
    again.send('/ping in');
    await again.line(/^\* pong in$/);
  });

  it('holds a non-loopback address to the per-address cap without any setting', async (ctx) => {
    const address = nonLoopbackAddress();
    if (!address) return ctx.skip();
    server = await TestServer.start({ config: { server: { host: address, maxConnectionsPerAddress: 3 } } });
    const ok = await Promise.all(Array.from({ length: 3 }, async () => {
      const c = await TestClient.connect(server!.port, address);
      server!.clients.push(c);
      await c.line(/Whiskr/);
      return c;
    }));
    const fourth = await raw(server.port, address);
    const lines = collect(fourth);
    await closed(fourth);
    expect(lines).toEqual([`! RATE_LIMITED: Too many connections from ${address}.`]);
    expect(ok.every((c) => !c.closed)).toBe(true);
  });

  it('refuses connections past maxConnections in all, whatever their address', async () => {
    server = await TestServer.start({ config: { server: { maxConnections: 20 } } });
    await Promise.all(Array.from({ length: 20 }, () => server!.connect()));
    const over = await raw(server.port);
    const lines = collect(over);
    await closed(over);
    expect(lines).toEqual(['! RATE_LIMITED: The server is full; try again later.']);
    expect(server.server.sessions.size).toBe(20);
  });
});

describe('garbage', () => {
  /** xorshift32: the same "random" bytes on every run, so a failure can be reproduced. */
  function randomBytes(n: number, seed: number): Buffer {
    const out = Buffer.alloc(n);
    let x = seed >>> 0 || 1;
    for (let i = 0; i < n; i++) {
      x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      out[i] = x & 0xff;
    }
    return out;
  }

  /** How many replies the protocol promises for this input: one per line that is not blank. */
  function expectedReplies(data: Buffer, max: number): number {
    let n = 0;
    let start = 0;
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    for (;;) {
      const lf = data.indexOf(0x0a, start);
      if (lf === -1) break;
      let line = data.subarray(start, lf);
      start = lf + 1;
      if (line.length && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
      if (line.length > max) { n++; continue; }
      let text: string;
      try { text = utf8.decode(line); } catch { n++; continue; }
      if (text.trim() !== '') n++;
    }
    return n;
  }

  it.each([1, 2, 3])('answers 1 MiB of random bytes (seed %i) line by line, stays up, and others do not notice', async (seed) => {
    server = await TestServer.start();
    const other = await server.json();
    const c = await server.json();
    let data = randomBytes(1024 * 1024, seed * 2654435761);
    // A random line that happens to read /quit or /format would change the rules of the count.
    data = Buffer.from(data.toString('latin1').replace(/(^|\n)\/(q|f)/gi, '$1x').replace(/\n\/(q|f)/gi, '\nx'), 'latin1');
    const expected = expectedReplies(Buffer.concat([data, Buffer.from('\n')]), 4096);
    const before = c.events.length;
    const linesBefore = c.lines.length;
    for (let i = 0; i < data.length; i += 16 * 1024) {
      c.write(data.subarray(i, i + 16 * 1024));
      if (i % (256 * 1024) === 0) expect(await other.request(`/ping during-${i}`, 'pong')).toMatchObject({ token: `during-${i}` });
    }
    c.write('\n');
    c.send('/ping end');
    await c.next((e) => e.type === 'pong' && e.token === 'end');
    const replies = c.events.slice(before, -1);
    expect(replies).toHaveLength(expected);
    const codes = new Set(replies.map((e) => (e.type === 'error' ? e.code : e.type)));
    for (const code of codes) expect(['BAD_ENCODING', 'LINE_TOO_LONG', 'NOT_LOGGED_IN', 'UNKNOWN_COMMAND', 'BAD_ARGUMENTS', 'pong', 'help', 'ok']).toContain(code);
    expect(c.lines.slice(linesBefore).every((l) => l.startsWith('{"type":'))).toBe(true);
    expect(c.closed).toBe(false);
  });
});

describe('lines around maxLineBytes (4096)', () => {
  const cases: [string, number, string][] = [];
  for (const n of [4094, 4095, 4096, 4097, 4098]) {
    cases.push([`${n} bytes + LF`, n, '\n'], [`${n} bytes + CR LF`, n, '\r\n']);
  }
  it.each(cases)('%s', async (_name, n, end) => {
    server = await TestServer.start();
    const c = await server.json();
    const token = 't'.repeat(n - '/ping '.length);
    c.write(`/ping ${token}${end}`);
    const reply = await c.next((e) => e.type === 'pong' || e.type === 'error');
    if (n <= 4096) expect(reply).toEqual({ type: 'pong', token });
    else expect(reply).toMatchObject({ type: 'error', code: 'LINE_TOO_LONG' });
    expect(await c.request('/ping next', 'pong')).toMatchObject({ token: 'next' });
  });

  it('counts bytes, not characters: a multi-byte character that crosses the limit makes the line too long', async () => {
    server = await TestServer.start();
    const c = await server.json();
    const pad = 't'.repeat(4096 - '/ping '.length - 2);
    expect(await c.request(`/ping ${pad}é`, 'pong')).toMatchObject({ token: `${pad}é` }); // exactly 4096 bytes
    expect(await c.request(`/ping ${pad}xé`)).toMatchObject({ code: 'LINE_TOO_LONG' }); // 4097 bytes
    // A multi-byte character split across two writes is reassembled.
    const line = Buffer.from('/ping ünïcödé\n');
    c.write(line.subarray(0, 8));
    await new Promise((r) => setTimeout(r, 20));
    c.write(line.subarray(8));
    expect(await c.next('pong')).toMatchObject({ token: 'ünïcödé' });
  });
});
