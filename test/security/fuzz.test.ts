import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TestServer, databaseKinds, type JsonEvent, type TestClient } from '../../core/testing/index.js';

/** Whether a line from the server looks like it leaks internals (a stack frame or a source path). */
function leaksInternals(line: string): boolean {
  return /\bat (?:async )?[\w.<>]+ \(|\bat \/|\bat file:|node:internal|\.[cm]?[tj]s:\d+|\/work\/|\/node_modules\//.test(line);
}

/**
 * Command dispatch under fuzz, over a real TCP connection: random lines and mutations of real commands.
 * Never a crash (the server logs no error and stays up), never an unanswered command, never a stack trace
 * or a source path on the wire.
 */

// Real commands, as users type them; every one a command of docs/protocol.md.
const CORPUS = [
  '/help', '/help join', '/ping abc', '/whoami', '/logout', '/passwd old new-password-1', '/register fuzzer2 some-password',
  '/login fuzzer some-password', '/join #general', '/join #fuzz', '/part #fuzz bye', '/switch #general', '/switch admin',
  '/channels', '/channel create #secret admin', '/channel invite #secret admin', '/channel delete #secret',
  '/topic #general new topic', '/topic #general', '/who', '/who #general', '/whois admin', '/msg #general hello',
  '/msg admin psst', '/me waves', '/away lunch', '/away', '/history', '/history #general 5', '/history #general 10 before=1',
  '/history admin 3 after=0', '/search hello', '/kick admin', '/ban admin 10m spam', '/unban admin', '/bans', '/mute admin 1h',
  '/unmute admin', '/wall hello all', '/shutdown 100', '/plugins', '/plugin reload auth', '/rehash', '/users', '/role fuzzer admin',
  '/stats', 'hello world', '!roll 2d6', '!flip', '!pick a b c', '!remind me in 10m to stretch', '//not a command', 'plain text',
];

const WEIRD = [
  "'; DROP TABLE users; --", '" OR 1=1 --', '\u001b[2J\u001b[H', '\u001b]0;pwned\u0007', '\u0000', '\u007f', '\u009b31m', '\u202eevil',
  '%s%s%n', '${process.exit()}', '{{7*7}}', '../../etc/passwd', '-1', '0', '99999999999999999999999', 'NaN', '1e309', '#', '##', '#a',
  '@', '*', 'before=', 'after=-5', 'before=zzz', 'x'.repeat(300), '💥', 'e\u0301', '\ud83d', ' ', '\t', '\r', '__proto__', 'constructor',
];

/** A mutation of a corpus line: tokens replaced, inserted, dropped or duplicated, characters flipped, case changed. */
const mutated = fc.record({
  base: fc.constantFrom(...CORPUS),
  ops: fc.array(fc.tuple(fc.constantFrom('replace', 'insert', 'drop', 'dup', 'char', 'case', 'append'), fc.nat(), fc.constantFrom(...WEIRD), fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 4 }),
}).map(({ base, ops }) => {
  let tokens = base.split(' ');
  for (const [op, n, weird, junk] of ops) {
    const i = n % Math.max(tokens.length, 1);
    if (op === 'replace') tokens[i] = weird;
    else if (op === 'insert') tokens.splice(i, 0, weird);
    else if (op === 'drop' && tokens.length > 1) tokens.splice(i, 1);
    else if (op === 'dup') tokens.splice(i, 0, tokens[i] ?? '');
    else if (op === 'char') { const t = tokens[i] ?? ''; const at = n % (t.length + 1); tokens[i] = t.slice(0, at) + junk + t.slice(at + 1); }
    else if (op === 'case') tokens = tokens.map((t) => t.toUpperCase());
    else tokens.push(junk);
  }
  return tokens.join(' ');
});

const anyLine = fc.oneof(
  { weight: 5, arbitrary: mutated },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((s) => '/' + s) },
)
  // A line break would make two lines; /quit and /format change the rules of the count (they are tested elsewhere).
  .map((l) => l.replace(/[\n]/g, ' '))
  .filter((l) => !/^\/(quit|format)\b/i.test(l.trimStart().replace(/^\/+/, '/')) && !/^\/(quit|format)(\s|$)/i.test(l));

/** Send a line, then a /ping marker; returns what arrived in between. */
async function exchange(c: TestClient, line: string, n: number): Promise<JsonEvent[]> {
  const from = c.events.length;
  c.write(Buffer.from(line + '\n'));
  c.send(`/ping m${n}`);
  // next() also moves the client's cursor past the marker, so later requests look only at newer events.
  await c.next((e) => e.type === 'pong' && e.token === `m${n}`);
  const got = c.events.slice(from);
  return got.slice(0, got.findIndex((e) => e.type === 'pong' && e.token === `m${n}`));
}

function checkWire(c: TestClient): void {
  for (const l of c.lines) {
    expect(leaksInternals(l), l).toBe(false);
    if (l.startsWith('{')) expect(() => JSON.parse(l)).not.toThrow();
  }
  expect(c.events.filter((e) => e.type === 'error' && e.code === 'INTERNAL')).toEqual([]);
}

describe('fuzzing the core alone (anonymous session)', () => {
  let server: TestServer;
  let c: TestClient;
  let n = 0;
  beforeAll(async () => { server = await TestServer.start(); c = await server.json(); });
  afterAll(async () => { await server.stop(); });

  it('answers every non-blank line with exactly one reply, in order', async () => {
    await fc.assert(fc.asyncProperty(anyLine, async (line) => {
      const between = await exchange(c, line, n++);
      const blank = line.trim() === '';
      const tooLong = Buffer.byteLength(line) > 4096;
      expect(between.length, `${JSON.stringify(line)} → ${JSON.stringify(between)}`).toBe(blank && !tooLong ? 0 : 1);
    }), { numRuns: 400 });
    checkWire(c);
    expect(c.closed).toBe(false);
  });
});

describe.each(databaseKinds())('fuzzing every plugin as a logged-in user (%s)', (db) => {
  let server: TestServer;
  let user: TestClient;
  let n = 0;
  beforeAll(async () => {
    server = await TestServer.start({
      db,
      plugins: { auth: { scryptN: 1024 }, history: { flushIntervalMs: 10 }, channels: {}, admin: {}, bots: {} },
    });
    await server.server.service('auth')!.createUser('admin', 'admin-password', 'admin');
    user = await server.user('fuzzer', 'some-password');
    await user.next('history');
  }, 60_000);
  afterAll(async () => { await server?.stop(); });

  it('answers every non-blank line, never with INTERNAL or a stack trace, and stays up', async () => {
    const silent: string[] = [];
    await fc.assert(fc.asyncProperty(anyLine, async (line) => {
      const between = await exchange(user, line, n++);
      if (line.trim() !== '' && between.length === 0) silent.push(line);
      // A line that logged the session out leaves it anonymous: log back in for the next one.
      if (between.some((e) => e.type === 'ok' && e.command === 'logout')) {
        await user.ok('/login fuzzer some-password', 'login');
      }
    }), { numRuns: 300 });
    expect(silent, 'lines that got no reply').toEqual([]);
    checkWire(user);
    expect(user.closed).toBe(false);
  }, 120_000);
});
