import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { TestServer } from '../../core/testing/index.js';
import { Logger, type LogRecord } from '../../core/logger.js';
import { Renderer, inert } from '../../core/render.js';
import { event } from '../../core/events.js';
import { adminClient, adminServerOptions } from '../../plugins/admin/test-helpers.js';

/**
 * What users type reaches logs, terminals and JSON parsers inert (issue 15: item 10, and the text and JSON
 * hygiene findings).
 */
let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** Nothing in a log message can end the line, start an escape sequence or ring the bell. */
const ACTIVE = /[\u0000-\u001f\u007f-\u009f]/;

describe('the log', () => {
  it('escapes a name with ESC, BEL and CR given to /login, in the log line it makes', async () => {
    server = await TestServer.start({ plugins: { auth: {} }, config: { log: { level: 'info' } } });
    const c = await server.json();
    const name = 'x\u001b[2J\u001b]0;pwned\u0007\rfake';
    await c.fails(`/login ${name} whatever`, 'INVALID_CREDENTIALS');
    const line = server.sink.records.find((r) => r.message.startsWith('failed login'))!;
    expect(line.message).toBe('failed login for x^[[2J^[]0;pwned^G^Mfake from 127.0.0.1');
  });

  it('escapes every message in the logger itself, whoever logs it; a stack keeps its lines, indented', () => {
    const records: LogRecord[] = [];
    const log = new Logger({ write: (r) => records.push(r) }, 'debug').child('scope\u001b[31m');
    log.info('one\ntwo\u001b[1m');
    log.warn('bell\u0007 and \u202e bidi');
    log.error('failed for\r name', new Error('boom\nsecond'));
    expect(records.map((r) => r.message.split('\n')[0])).toEqual(['one^Jtwo^[[1m', 'bell^G and \\u202e bidi', 'failed for^M name: Error: boom']);
    expect(records[0]!.scope).toBe('scope^[[31m');
    for (const r of records) for (const l of r.message.split('\n')) expect(l).not.toMatch(ACTIVE);
    // The stack's other lines are indented under the record, never a record of their own.
    expect(records[2]!.message.split('\n').slice(1).every((l) => l.startsWith('    '))).toBe(true);
  });
});

describe('text format', () => {
  it.each([
    ['zero-width space', 'a\u200bb', 'a\\u200bb'],
    ['byte order mark', '\ufeffhi', '\\ufeffhi'],
    ['word joiner', 'a\u2060b', 'a\\u2060b'],
    ['tag characters', 'flag\u{e0067}\u{e0062}\u{e007f}', 'flag\\u{e0067}\\u{e0062}\\u{e007f}'],
    ['ZWJ emoji stays', '👩\u200d💻', '👩\u200d💻'],
  ])('shows %s visibly', (_what, input, shown) => {
    expect(inert(input)).toBe(shown);
  });

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
  it('escapes U+2028, U+2029 and U+0085, which clients split lines on, and parses back to the same text', () => {
    const text = 'a\u2028b\u2029c\u0085d';
    const json = new Renderer().json(event('notice', { from: 'x', text }));
    expect(json).not.toMatch(/[\u2028\u2029\u0085]/);
    expect(json).toContain('a\\u2028b\\u2029c\\u0085d');
    expect(JSON.parse(json).text).toBe(text);
  });

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
