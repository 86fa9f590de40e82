import { afterEach, describe, expect, it } from 'vitest';
import { TestServer } from './testing/index.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

describe('core without plugins', () => {
  it('greets, answers /ping and /help, switches to json', async () => {
    server = await TestServer.start();
    const c = await server.connect();
    expect(c.lines[0]).toMatch(/^\* Whiskr/);
    c.send('/ping x');
    await c.line(/^\* pong x$/);
    c.send('/format json');
    await c.line(/^{"type":"ok","command":"format"/);
    const pong = await c.request('/ping hello', 'pong');
    expect(pong).toEqual({ type: 'pong', token: 'hello' });
    const help = await c.ok('/help', 'help');
    expect(help.commands.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['help', 'format', 'ping', 'quit']));
  });
});
