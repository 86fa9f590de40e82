import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestServer, databaseKinds, member, nothing, relogin } from '../../core/testing/index.js';
import { full } from './testing.js';

const coreUrl = pathToFileURL(join(import.meta.dirname, '..', '..', 'core', 'index.ts')).href;

/** A plugin with one bot, `echo`, that sits in #bots and repeats what it is told. */
const echoPlugin = `
import { definePlugin } from '${coreUrl}';
export default definePlugin({
  name: 'echobot', version: '1', defaults: {}, dependencies: ['bots'],
  setup(ctx) {
    ctx.attach('bots', (bots) => bots.add({ name: 'Echo', description: 'Says it back.', channels: ['#bots'], commands: [
      { name: 'echo', usage: '!echo <text…>', summary: 'say it back', run: (call) => call.args.rest(0) || 'nothing to say' },
    ] }, ctx.name));
  },
});
`;

let dir: string;
let botPath: string;
let server: TestServer | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'whiskr-channels-bots-'));
  botPath = join(dir, 'echobot');
  mkdirSync(botPath);
  writeFileSync(join(botPath, 'index.ts'), echoPlugin);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => { await server?.stop(); server = undefined; });

const start = (db: 'sqlite' | 'mysql', withBot = true) => TestServer.start({
  db, plugins: { auth: {}, history: { flushIntervalMs: 10 }, channels: {}, bots: { enabled: [] }, ...(withBot ? { [botPath]: {} } : {}) },
});

describe.each(databaseKinds())('bots in channels (%s)', (db) => {
  it('seats a bot in its channels (created when missing); /who and /whois show it as a bot', async () => {
    const s = (server = await start(db));
    const alice = await member(s, 'alice');
    expect(await alice.ok('/join #bots', 'join', full)).toMatchObject({ channel: '#bots', members: ['alice', 'Echo'] });
    expect((await alice.ok('/who #bots', 'who')).users).toEqual([
      { name: 'alice', status: 'online', role: 'user', bot: false }, { name: 'Echo', status: 'online', role: 'user', bot: true }]);
    expect((await alice.ok('/who', 'who')).users).toContainEqual({ name: 'Echo', status: 'online', role: 'user', bot: true });
    expect(await alice.ok('/whois echo', 'whois')).toMatchObject({ user: 'Echo', bot: true, status: 'online', channels: ['#bots'] });
    expect(s.server.onlineUsers().map((u) => u.name)).toEqual(['alice']);
  });

  it('puts a !command line to the bots of the channel and posts their answer as a message from the bot', async () => {
    const s = (server = await start(db));
    const alice = await member(s, 'alice');
    const bob = await member(s, 'bob');
    await alice.ok('/join #bots', 'join', full);
    await bob.ok('/join #bots', 'join', full);
    const asked = await alice.request('!echo hello there', 'message');
    expect(asked).toMatchObject({ from: 'alice', channel: '#bots', text: '!echo hello there' });
    const answer = await alice.next((e) => e.type === 'message' && e.from === 'Echo');
    expect(answer).toMatchObject({ channel: '#bots', text: 'hello there', bot: true, kind: 'message' });
    expect(await bob.next((e) => e.type === 'message' && e.from === 'Echo')).toEqual(answer);
    // Not in #general, where the bot does not sit; and plain lines are not commands.
    await alice.ok('/switch #general');
    await alice.request('!echo anyone?', 'message');
    await alice.ok('/switch #bots');
    await alice.request('echo plain', 'message');
    expect(await nothing(alice, (e) => e.type === 'message' && e.from === 'Echo')).toBe(true);
  });

  it('answers a direct message to the bot with direct messages from it', async () => {
    const s = (server = await start(db));
    const alice = await member(s, 'alice');
    const alice2 = await relogin(s, 'alice');
    expect(await alice.ok('/msg echo echo psst', 'message')).toMatchObject({ from: 'alice', to: 'Echo', text: 'echo psst' });
    const answer = await alice.next((e) => e.type === 'message' && e.from === 'Echo');
    expect(answer).toMatchObject({ to: 'alice', text: 'psst', bot: true });
    expect(await alice2.next((e) => e.type === 'message' && e.from === 'Echo')).toEqual(answer);
    await alice.ok('/switch Echo');
    await alice.request('!echo again', 'message');
    expect(await alice.next((e) => e.type === 'message' && e.from === 'Echo')).toMatchObject({ text: 'again' });
  });

  it('/channel invite seats a bot in another channel, and it stays there across a restart', async () => {
    let s = (server = await start(db));
    const alice = await member(s, 'alice');
    await alice.fails('/channel invite #bots Echo', 'NOT_IN_CHANNEL');
    await alice.fails('/channel invite #nope Echo', 'NO_SUCH_CHANNEL');
    await alice.ok('/channel create #team', 'join', full);
    expect(await alice.ok('/channel invite #team echo')).toMatchObject({ text: 'Echo sits in #team now.' });
    expect(alice.events.find((e) => e.type === 'join' && e.user === 'Echo')).toEqual({ type: 'join', channel: '#team', user: 'Echo' });
    await alice.request('!echo private', 'message');
    expect(await alice.next((e) => e.type === 'message' && e.from === 'Echo')).toMatchObject({ channel: '#team', text: 'private' });
    s = server = await s.restart();
    const again = await relogin(s, 'alice', 2);
    expect(again.events.find((e) => e.type === 'join' && e.channel === '#team')).toMatchObject({ members: ['alice', 'Echo'], private: true });
  });

  it('a bot whose plugin is unloaded leaves every channel; loaded again, it is back', async () => {
    const s = (server = await start(db));
    const alice = await member(s, 'alice');
    await alice.ok('/join #bots', 'join', full);
    await alice.ok('/channel invite #general echo');
    expect(alice.events.some((e) => e.type === 'join' && e.user === 'Echo' && e.channel === '#general')).toBe(true);
    await s.server.plugins.unload('echobot');
    const parts = [await alice.next('part'), await alice.next('part')];
    expect(parts.map((p) => [p.channel, p.user]).sort()).toEqual([['#bots', 'Echo'], ['#general', 'Echo']]);
    expect((await alice.ok('/who #bots', 'who')).users.map((u: { name: string }) => u.name)).toEqual(['alice']);
    await alice.request('!echo anyone?', 'message');
    expect(await nothing(alice, (e) => e.type === 'message' && e.from === 'Echo')).toBe(true);
    await alice.fails('/whois echo', 'NO_SUCH_USER');
    await s.server.plugins.load(botPath);
    const joins = [await alice.next('join'), await alice.next('join')];
    expect(joins.map((j) => [j.channel, j.user]).sort()).toEqual([['#bots', 'Echo'], ['#general', 'Echo']]);
    // A reload of the bot's plugin keeps it seated, without a part and join.
    await s.server.plugins.reload('echobot');
    expect(await nothing(alice, (e) => (e.type === 'part' || e.type === 'join') && e.user === 'Echo')).toBe(true);
    await alice.request('!echo still here', 'message');
    expect(await alice.next((e) => e.type === 'message' && e.from === 'Echo')).toMatchObject({ text: 'still here' });
  });

  it('a reload of the bot runner (the bots plugin) or of channels keeps another plugin\'s bot seated and answering, silently', async () => {
    const s = (server = await start(db));
    const alice = await member(s, 'alice');
    await alice.ok('/join #bots', 'join', full);
    await s.server.plugins.reload('bots');
    await s.server.plugins.reload('channels');
    await s.server.plugins.reload('auth');
    expect(await nothing(alice, (e) => (e.type === 'part' || e.type === 'join') && e.user === 'Echo')).toBe(true);
    expect((await alice.ok('/who #bots', 'who')).users.map((u: { name: string }) => u.name)).toEqual(['alice', 'Echo']);
    await alice.request('!echo still here', 'message');
    expect(await alice.next((e) => e.type === 'message' && e.from === 'Echo')).toMatchObject({ channel: '#bots', text: 'still here' });
    // Its name stays reserved (the runner tells auth which names are bots').
    await (await s.json()).fails('/register ECHO correct horse battery', 'NAME_TAKEN');
    // The runner gone (its bots' plugin first), the bot leaves.
    await s.server.plugins.unload('echobot');
    expect(await alice.next('part')).toMatchObject({ channel: '#bots', user: 'Echo' });
    await s.server.plugins.unload('bots');
    await alice.fails('/whois echo', 'NO_SUCH_USER');
  });
});
