import { afterEach, describe, expect, it } from 'vitest';
import { TestServer, databaseKinds, type JsonEvent, type TestClient, type TestDatabaseKind, eventually, account, relogin } from '../../core/testing/index.js';
import '../../plugins/auth/api.js';
import '../../plugins/channels/api.js';

/**
 * Nobody does what their role does not allow: every admin command from a non-admin, every command that
 * names a channel against a private channel from a non-member, and a kicked or banned session's pending
 * input, which must not run.
 */
let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

function start(db: TestDatabaseKind, flood?: Record<string, unknown>): Promise<TestServer> {
  return TestServer.start({
    db,
    plugins: { auth: { scryptN: 1024 }, history: { flushIntervalMs: 10 }, channels: {}, admin: {}, bots: {} },
    ...(flood ? { config: { flood } } : {}),
  });
}

/** An account made beforehand with its role, then logged in (and its auto-join arrived). */
async function member(s: TestServer, name: string, role: 'user' | 'admin' = 'user'): Promise<TestClient> {
  await account(s, name, role);
  return relogin(s, name);
}

/** Plausible arguments for each admin command, so that the refusal is about the role, not the usage. */
const ARGS: Record<string, string> = {
  kick: 'victim bye', ban: 'victim 1h spam', unban: 'victim', mute: 'victim 1h', unmute: 'victim', wall: 'hello everyone',
  shutdown: '1', kill: '1', plugin: 'unload channels', role: 'mallory admin', rehash: '', plugins: '', users: '', stats: '',
  bans: '', mutes: '', audit: '5',
};

describe.each(databaseKinds())('privileges (%s)', (db) => {
  it('refuses every admin command (and alias) to a user with NOT_ALLOWED, with no effect', async () => {
    const s = (server = await start(db));
    const mallory = await member(s, 'mallory');
    const victim = await member(s, 'victim');
    const admin = s.server.commands.all().filter((c) => c.access === 'admin');
    expect(admin.length).toBeGreaterThanOrEqual(10);
    for (const spec of admin) {
      for (const name of [spec.name, ...(spec.aliases ?? [])]) {
        mallory.send(`/${name.toUpperCase()} ${ARGS[name] ?? 'victim'}`.trim());
        const reply = await mallory.next((e) => e.type === 'error' || e.type === 'ok' || e.command !== undefined);
        expect(reply, `/${name}`).toMatchObject({ type: 'error', code: 'NOT_ALLOWED', command: spec.name });
      }
    }
    // Nothing happened: the victim is still here and unmuted, mallory is still a user, no notice, no shutdown.
    expect(await victim.request('still here', 'message')).toMatchObject({ type: 'message', text: 'still here' });
    expect(await mallory.ok('/whoami', 'whoami')).toMatchObject({ role: 'user' });
    expect(victim.has((e) => e.type === 'notice' || e.type === 'kicked' || e.type === 'banned' || e.type === 'shutdown')).toBe(false);
    expect(s.server.isShuttingDown).toBe(false);
    expect(s.server.plugins.get('channels')?.status).toBe('loaded');
    // /help does not even list them to a user.
    const help = await mallory.ok('/help', 'help');
    const listed = new Set(help.commands.map((c: { name: string }) => c.name));
    for (const spec of admin) expect(listed.has(spec.name), spec.name).toBe(false);
  });

  it('a private channel is indistinguishable from a missing one for a non-member, through every command that names it', async () => {
    const s = (server = await start(db));
    const owner = await member(s, 'owner');
    const friend = await member(s, 'friend');
    const mallory = await member(s, 'mallory');
    await owner.ok('/channel create #vault friend', 'join', (e) => e.members !== undefined);
    await owner.next('history');
    await owner.ok('/topic #vault the-secret-topic', 'topic');
    await owner.request('/msg #vault the-secret-text', 'message');
    await friend.next((e) => e.type === 'message' && e.text === 'the-secret-text');
    await s.server.service('history')?.flush?.();

    const probes = (ch: string) => [
      `/join ${ch}`, `/history ${ch}`, `/history ${ch} 10 after=0`, `/who ${ch}`, `/topic ${ch}`, `/topic ${ch} mine now`,
      `/msg ${ch} let me in`, `/switch ${ch}`, `/part ${ch}`, `/channel invite ${ch} mallory`, `/channel delete ${ch}`,
    ];
    const hidden = probes('#vault');
    const missing = probes('#nothing-here');
    const differs: string[] = [];
    for (let i = 0; i < hidden.length; i++) {
      const a = await mallory.request(hidden[i]!, '__never__');
      if (hidden[i]!.startsWith('/join')) {
        // Joining a missing channel creates it; joining the private one must not.
        expect(a, hidden[i]).toMatchObject({ type: 'error' });
        continue;
      }
      const b = await mallory.request(missing[i]!, '__never__');
      expect(a, hidden[i]).toMatchObject({ type: 'error' });
      const seen = { code: a.code, text: a.text.replace(/#vault/gi, '#X') };
      const expected = { code: b.code, text: b.text.replace(/#nothing-here/gi, '#X') };
      if (JSON.stringify(seen) !== JSON.stringify(expected)) differs.push(`${hidden[i]}: ${seen.code} "${seen.text}" ≠ ${expected.code} "${expected.text}"`);
    }
    expect(differs).toEqual([]);
    // Mallory's other views do not show it either.
    const channels = await mallory.ok('/channels', 'channels');
    expect(channels.channels.map((c: { name: string }) => c.name)).not.toContain('#vault');
    expect((await mallory.ok('/whois owner', 'whois')).channels).not.toContain('#vault');
    if (s.server.commands.find('search')) mallory.send('/search the-secret');
    await mallory.sync();
    const seen = mallory.lines.join('\n');
    expect(seen).not.toContain('the-secret-text');
    expect(seen).not.toContain('the-secret-topic');
    // The owner's channel is intact: the failed /channel delete and /topic did nothing.
    expect(await owner.ok('/topic #vault', 'topic')).toMatchObject({ topic: 'the-secret-topic' });
    expect((await friend.ok('/history #vault', 'history')).messages.map((m: JsonEvent) => m.text)).toEqual(['the-secret-text']);
  });

  it('a non-member learns that a private name is taken, and nothing else: not its activity (!seen), nor a DM\'s', async () => {
    const s = (server = await start(db));
    const owner = await member(s, 'owner');
    const friend = await member(s, 'friend');
    const mallory = await member(s, 'mallory');
    await owner.ok('/channel create #vault', 'join', (e) => e.members !== undefined);
    // What a name being taken tells: /join does not create it, /channel create refuses it.
    await mallory.fails('/join #vault', 'NO_SUCH_CHANNEL');
    await mallory.fails('/channel create #vault', 'CHANNEL_EXISTS');
    await owner.request('/msg #vault vault-words', 'message');
    owner.close();
    await mallory.next((e) => e.type === 'presence' && e.user === 'owner' && e.status === 'offline');
    await friend.request('/msg mallory hello', 'message');
    await friend.request('/msg owner dm-words', 'message');
    friend.close();
    await mallory.next((e) => e.type === 'presence' && e.user === 'friend' && e.status === 'offline');
    for (const who of ['owner', 'friend']) {
      await mallory.request(`!seen ${who}`, 'message');
      const answer = await mallory.next((e) => e.type === 'message' && e.from === 'seen' && String(e.text).startsWith(who));
      expect(answer.text).toMatch(new RegExp(`^${who} was last here [^.]*\\.$`));
    }
    await mallory.sync();
    expect(mallory.lines.join('\n')).not.toMatch(/vault-words|dm-words|Last spoke|Last words/);
  });

  it('direct messages are readable only by the two people in them', async () => {
    const s = (server = await start(db));
    const alice = await member(s, 'alice');
    const bob = await member(s, 'bob');
    const mallory = await member(s, 'mallory');
    await alice.request('/msg bob between-us', 'message');
    await bob.next((e) => e.type === 'message' && e.text === 'between-us');
    for (const line of ['/history alice', '/history bob', '/history alice 50 after=0']) {
      const reply = await mallory.request(line, 'history');
      if (reply.type === 'history') expect(reply.messages, line).toEqual([]);
    }
    await mallory.sync();
    expect(mallory.lines.join('\n')).not.toContain('between-us');
    expect((await bob.ok('/history alice', 'history')).messages.map((m: JsonEvent) => m.text)).toEqual(['between-us']);
  });

  it.each(['kick', 'ban'])("a session closed by /%s never runs its queued lines", async (how) => {
    // Flood control on: the victim's paste is mostly waiting in its input queue when the admin acts.
    const s = (server = await start(db, { enabled: true, burst: 3, linesPerSecond: 40, maxQueuedLines: 500 }));
    const root = await member(s, 'root', 'admin');
    const victim = await member(s, 'victim');
    const observer = await member(s, 'observer');
    const victimSession = [...s.server.sessionsOf('victim')][0]!;
    await new Promise((r) => setTimeout(r, 200)); // let the logins' lines give their tokens back
    victim.write(Array.from({ length: 40 }, (_, i) => `/msg #general spam-${i}\n`).join(''));
    const spam = () => observer.events.filter((e) => e.type === 'message' && String(e.text).startsWith('spam-')).length;
    await eventually(() => spam() >= 2, 'the first lines of the paste');
    expect(s.server.queuedInput(victimSession)).toBeGreaterThan(20);
    await root.ok(how === 'kick' ? '/kick victim go away' : '/ban victim 1h go away');
    await victim.waitClosed();
    expect(victimSession.closed).toBe(true);
    expect(s.server.queuedInput(victimSession)).toBe(0);
    const atClose = spam();
    // The 40 lines would all have run within 40 / 40 s of the paste: wait that out, then count again.
    await new Promise((r) => setTimeout(r, 1100));
    await observer.sync();
    expect(spam()).toBe(atClose);
    expect(atClose).toBeLessThan(40);
    const history = await observer.ok('/history #general 100', 'history');
    expect(history.messages.filter((m: JsonEvent) => String(m.text).startsWith('spam-')).length).toBe(atClose);
  }, 30_000);
});
