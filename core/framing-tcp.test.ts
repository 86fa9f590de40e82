import { afterEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { TestServer } from './testing/index.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

describe('the line protocol over TCP', () => {
  it('assembles a command written one byte at a time', async () => {
    server = await TestServer.start();
    const c = await server.connect();
    for (const byte of Buffer.from('/ping byte-by-byte\r\n')) {
      c.write(Buffer.from([byte]));
      await new Promise((r) => setImmediate(r));
    }
    await c.line(/^\* pong byte-by-byte$/);
  });

  it('answers pipelined commands in order, one reply each, CRLF or LF', async () => {
    server = await TestServer.start();
    const c = await server.json();
    c.write(Array.from({ length: 50 }, (_, i) => `/ping ${i}${i % 2 ? '\r\n' : '\n'}`).join(''));
    await c.until(() => (c.events.filter((e) => e.type === 'pong').length === 50 ? true : undefined), '50 pongs');
    expect(c.events.filter((e) => e.type === 'pong').map((e) => e.token)).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
  });

  it('answers a 5000-byte line with LINE_TOO_LONG and keeps the connection', async () => {
    server = await TestServer.start();
    const c = await server.json();
    c.send('/ping ' + 'x'.repeat(5000));
    const err = await c.next('error');
    expect(err.code).toBe('LINE_TOO_LONG');
    expect(await c.request('/ping still-here', 'pong')).toMatchObject({ token: 'still-here' });
  });

  it('accepts a line of exactly maxLineBytes', async () => {
    server = await TestServer.start();
    const c = await server.json();
    const token = 'y'.repeat(4096 - '/ping '.length);
    expect(await c.request(`/ping ${token}`, 'pong')).toMatchObject({ token });
  });

  it('answers invalid UTF-8 with BAD_ENCODING and goes on', async () => {
    server = await TestServer.start();
    const c = await server.json();
    c.write(Buffer.concat([Buffer.from('/ping '), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]));
    expect((await c.next('error')).code).toBe('BAD_ENCODING');
    expect(await c.request('/ping ok', 'pong')).toMatchObject({ token: 'ok' });
  });

  it('ignores blank lines and rejects unknown commands with UNKNOWN_COMMAND', async () => {
    server = await TestServer.start();
    const c = await server.json();
    c.write('\n   \r\n');
    const err = await c.request('/frobnicate now');
    expect(err).toMatchObject({ type: 'error', code: 'UNKNOWN_COMMAND', command: 'frobnicate' });
    expect(err.text).not.toMatch(/\bat \/|\.ts:/);
    expect(c.events.filter((e) => e.type === 'error')).toHaveLength(1);
  });

  it('refuses commands other than help/format/ping/quit before login with NOT_LOGGED_IN', async () => {
    server = await TestServer.start();
    server.server.commands.add({ name: 'secret', usage: '/secret', summary: 'x', access: 'user', run: () => undefined }, 'test');
    const c = await server.json();
    expect((await c.request('/secret')).code).toBe('NOT_LOGGED_IN');
    expect((await c.request('hello everyone')).code).toBe('NOT_LOGGED_IN');
  });

  it('says goodbye on /quit and closes', async () => {
    server = await TestServer.start();
    const c = await server.json();
    c.send('/quit see you');
    expect(await c.next('bye')).toMatchObject({ type: 'bye' });
    await c.waitClosed();
  });

  it('disconnects a client that never reads, without holding more than its output bound', async () => {
    server = await TestServer.start({ config: { server: { maxOutputBytes: 64 * 1024 } } as never });
    const closed = new Promise<void>((resolve) => {
      const socket = connect({ port: server!.port, host: '127.0.0.1' }, () => {
        socket.pause(); // never read
        const burst = '/help\n'.repeat(2000);
        const pump = () => { if (!socket.destroyed) socket.write(burst, () => setImmediate(pump)); };
        pump();
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve());
    });
    await closed;
    const stillUp = await server.json();
    expect(await stillUp.request('/ping alive', 'pong')).toMatchObject({ token: 'alive' });
    expect(server.server.sessions.size).toBe(1);
    server.sink.records.length = 0; // the "not reading" warning is expected
  });
});
