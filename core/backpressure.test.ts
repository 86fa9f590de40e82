import { afterEach, describe, expect, it } from 'vitest';
import { event } from './events.js';
import { TestServer } from './testing/index.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

describe('output and input bounds', () => {
  it('delivers one reply larger than maxOutputBytes to a client that reads', async () => {
    server = await TestServer.start({ config: { server: { maxOutputBytes: 256 * 1024 } } as never });
    const big = 'z'.repeat(700 * 1024);
    server.server.commands.add({ name: 'big', usage: '/big', summary: 'a large reply', access: 'anyone', run: () => event('ok', { command: 'big', text: big }) }, 'test');
    const c = await server.json();
    const reply = await c.ok('/big');
    expect(reply.text.length).toBe(big.length);
    expect(await c.request('/ping after', 'pong')).toMatchObject({ token: 'after' });
  });

  it('without flood limits, stops reading a client whose lines pile up instead of queueing them all', async () => {
    server = await TestServer.start({ config: { flood: { enabled: false, maxQueuedLines: 100 } } as never });
    let peak = 0;
    let session: import('./session.js').Session | undefined;
    server.server.commands.add({
      name: 'slow', usage: '/slow', summary: 'takes a moment', access: 'anyone',
      run: async (ctx) => {
        session = ctx.session;
        peak = Math.max(peak, server!.server.queuedInput(ctx.session));
        await new Promise((r) => setImmediate(r)); // one line per event-loop turn: reading outpaces it
      },
    }, 'test');
    const c = await server.json();
    const lines = 3000;
    const line = `/slow ${'x'.repeat(100)}\n`; // ~600 lines per 64 KiB read
    c.write(line.repeat(lines));
    await c.until(() => (c.events.filter((e) => e.type === 'ok' && e.command === 'slow').length === lines ? true : undefined), `${lines} replies`, 30_000);
    expect(session).toBeDefined();
    // Bounded by the high-water mark plus what one read from the socket can hold.
    expect(peak).toBeLessThan(100 + Math.ceil(65536 / line.length) + 1);
  });
});
