import { afterEach, describe, expect, it } from 'vitest';
import { TestServer, databaseKinds, type JsonEvent, type TestClient, type TestDatabaseKind, PASSWORD } from '../../core/testing/index.js';
import '../../plugins/auth/api.js';

/**
 * Hostile text: names, channel names, topics and messages made of SQL, control characters, ANSI escapes
 * and line breaks are refused, or stored verbatim and shown inert. In the text format nothing one user
 * writes can paint another user's terminal.
 */

/** What a terminal acts on: C0 controls except LF, DEL, C1 controls, bidi controls, line/paragraph separators. */
// eslint-disable-next-line no-control-regex
const ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;


const PAYLOADS = [
  "Robert'); DROP TABLE users; --",
  '" OR "1"="1',
  '\u001b[2J\u001b[H\u001b[31mYOU HAVE BEEN HACKED',
  '\u001b]0;pwned\u0007\u001b]52;c;ZXZpbA==\u0007',
  'line one\rline two overwrote it',
  'tab\there and bell\u0007 and nul\u0000 and del\u007f',
  '\u009b2J c1 csi',
  'trojan \u202eevil\u202c source \u2066x\u2069',
  'fake line\u2028! BANNED: you are banned',
  '%s %n ${7*7} {{7*7}} <script>alert(1)</script>',
  '💥 emoji and e\u0301 combining',
];

function start(db: TestDatabaseKind): Promise<TestServer> {
  return TestServer.start({ db, plugins: { auth: { scryptN: 1024 }, history: { flushIntervalMs: 10 }, channels: {} } });
}

/** A client logged in with the text format (how a person on netcat sees the server). */
async function textUser(s: TestServer, name: string): Promise<TestClient> {
  await s.server.service('auth')!.createUser(name, PASSWORD);
  const c = await s.connect();
  c.send(`/login ${name} ${PASSWORD}`);
  await c.line(/^\* Logged in as /);
  c.send('/ping joined');
  await c.line(/^\* pong joined$/);
  return c;
}

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

describe.each(databaseKinds())('hostile text through the chat (%s)', (db) => {
  it.each([
    ["SQL", "robert');DROP"],
    ['ANSI', '\u001b[31mred'],
    ['a control character', 'ab\u0007cd'],
    ['a look-alike', 'аdmin'], // Cyrillic а
    ['spaces', '"a b"'],
    ['bidi', 'adm\u202enimda'],
  ])('refuses a user name with %s: INVALID_NAME', async (_what, name) => {
    const s = (server = await start(db));
    const c = await s.json();
    expect(await c.request(`/register ${name} ${PASSWORD}`)).toMatchObject({ type: 'error', code: 'INVALID_NAME' });
    expect(await s.server.service('auth')!.findUser(name)).toBeFalsy();
  });

  it('refuses channel names with SQL, ANSI or controls: INVALID_NAME, and creates nothing', async () => {
    const s = (server = await start(db));
    const c = await s.user('alice', PASSWORD);
    await c.next('history');
    for (const name of ["#a';DROP", '#\u001b[2J', '#a\u0000b', '#a\u202eb', "#x'--", '#' + 'a'.repeat(50)]) {
      const reply = await c.request(`/join ${name}`, 'join');
      expect(reply, JSON.stringify(name)).toMatchObject({ type: 'error' });
      expect(['INVALID_NAME', 'NO_SUCH_CHANNEL', 'BAD_ARGUMENTS']).toContain(reply.code);
    }
    const channels = await c.ok('/channels', 'channels');
    expect(channels.channels.map((x: { name: string }) => x.name)).toEqual(['#general']);
  });

  it('stores messages, topics, actions and away texts verbatim, and shows them inert in the text format', async () => {
    const s = (server = await start(db));
    const attacker = await s.user('mallory', PASSWORD);
    await attacker.next('history');
    const watcher = await textUser(s, 'watcher');
    const reader = await s.user('reader', PASSWORD);
    await reader.next('history');
    const start0 = watcher.lines.length;

    for (const p of PAYLOADS) {
      await attacker.ok(`/msg #general ${p}`, 'message');
      await reader.next((e) => e.type === 'message' && e.text === p);
      await attacker.ok(`/me ${p}`, 'message');
      await reader.next((e) => e.type === 'message' && e.kind === 'action' && e.text === p);
      await attacker.ok(`/topic #general ${p}`, 'topic');
      await reader.next((e) => e.type === 'topic' && e.topic === p);
      await attacker.ok(`/msg watcher ${p}`, 'message');
    }
    await attacker.request(`/away ${PAYLOADS[2]}`, 'presence');
    watcher.send('/ping done');
    await watcher.line(/^\* pong done$/);

    // The text-format watcher saw every payload, made visible, and not one active character.
    const seen = watcher.lines.slice(start0);
    for (const l of seen) expect(ACTIVE.test(l), JSON.stringify(l)).toBe(false);
    const raw = seen.join('\n');
    expect(raw).toContain('^[[2J^[[H^[[31mYOU HAVE BEEN HACKED');
    expect(raw).toContain('line one^Mline two');
    expect(raw).toContain('fake line\\u2028! BANNED');
    expect(raw).not.toMatch(/^! BANNED/m);
    expect(raw).toContain("Robert'); DROP TABLE users; --");

    // Stored verbatim: the history gives back exactly what was sent (the SQL was data, not code).
    await s.server.service('history')!.flush();
    const history = await reader.ok('/history #general 100', 'history');
    const texts = history.messages.map((m: JsonEvent) => m.text);
    for (const p of PAYLOADS) expect(texts.filter((t: string) => t === p)).toHaveLength(2);
    // And the tables are all still there: accounts log in, channels answer.
    server = await s.restart();
    const again = await server.login('mallory', PASSWORD);
    await again.next('history');
    expect(await again.ok('/topic #general', 'topic')).toMatchObject({ topic: PAYLOADS.at(-1) });
    const dm = await again.ok('/history watcher 100', 'history');
    expect(dm.messages.map((m: JsonEvent) => m.text)).toEqual(PAYLOADS);
  }, 30_000);
});
