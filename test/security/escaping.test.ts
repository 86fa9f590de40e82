import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { TestServer, adminClient, adminServerOptions } from '../../core/testing/index.js';

/**
 * What users type reaches logs, terminals and JSON parsers inert.
 */
let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('the log', () => {
  it('escapes a name with ESC, BEL and CR given to /login, in the log line it makes', async () => {
    server = await TestServer.start({ plugins: { auth: {} }, config: { log: { level: 'info' } } });
    const c = await server.json();
    const name = 'x\u001b[2J\u001b]0;pwned\u0007\rfake';
    await c.fails(`/login ${name} whatever`, 'INVALID_CREDENTIALS');
    const line = server.sink.records.find((r) => r.message.startsWith('failed login'))!;
    expect(line.message).toBe('failed login for x^[[2J^[]0;pwned^G^Mfake from 127.0.0.1');
  });
});

describe('text format', () => {
  it('reaches a text client with zero-width and tag characters shown', async () => {
    server = await TestServer.start({ plugins: { auth: {}, channels: {} } });
    const alice = await server.user('alice');
    const bob = await server.connect();
    bob.send('/login alice correct horse battery');
    await bob.line(/Logged in as alice/);
    await alice.ok('/msg #general pay\u200b\ufeffpal\u{e0041}', 'message');
    expect(await bob.line(/pay/)).toBe('[#general] <alice> pay\\u200b\\ufeffpal\\u{e0041}');
  });
});

describe('json format', () => {
  it('reaches a json client escaped on the wire', async () => {
    server = await TestServer.start({ plugins: { auth: {}, channels: {} } });
    const alice = await server.user('alice');
    const bob = await server.user('bob');
    await alice.ok('/msg #general x\u2028! BANNED y\u0085z', 'message');
    const raw = await bob.line(/BANNED/);
    expect(raw).toContain('x\\u2028! BANNED y\\u0085z');
    expect((await bob.next('message')).text).toBe('x\u2028! BANNED y\u0085z');
  });
});

describe('PLUGIN_FAILED', () => {
  it('names the plugin, never its absolute path; the log has the full one', async () => {
    server = await TestServer.start(adminServerOptions('sqlite', { channels: {} }));
    const root = await adminClient(server);
    const e = await root.fails('/plugin load nosuch', 'PLUGIN_FAILED');
    expect(e.text).toBe('nosuch: no plugin at plugins/nosuch');
    expect(server.sink.records.some((r) => r.message.includes(fileURLToPath(new URL('../../plugins/nosuch', import.meta.url))))).toBe(true);
  });
});
