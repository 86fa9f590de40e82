import { afterEach, describe, expect, it } from 'vitest';
import { TestServer, databaseKinds } from '../../../core/testing/index.js';
import { hasTmux, Tmux } from './tmux.js';

/** Replies and messages as a user reads them in the client: sentences and lists, never `key=value` dumps or codes. */
let server: TestServer | undefined;
let tmux: Tmux | undefined;
afterEach(async () => { tmux?.kill(); tmux = undefined; await server?.stop(); server = undefined; });

const PLUGINS = { auth: {}, channels: {}, history: {}, admin: {} };
const count = (screen: string, text: string) => screen.split(text).length - 1;

describe.skipIf(!hasTmux)('terminal client: readable replies (tmux)', () => {
  it.each(databaseKinds())('shows /users, /stats, /plugins, /mutes, /audit and /search readably (%s)', async (db) => {
    server = await TestServer.start({ plugins: PLUGINS, db });
    await server.server.service('auth')!.createUser('root', 'correct horse battery', 'admin');
    const eve = await server.user('eve');
    await eve.ok('/msg #general the plan is ready', 'message');
    tmux = new Tmux();
    tmux.start({ port: server.port, width: 120, height: 50 });
    await tmux.login('root', 'correct horse battery');
    await tmux.waitFor('<eve> the plan is ready');
    const run = async (line: string, expected: string) => {
      tmux!.keys('C-l');
      tmux!.type(line);
      tmux!.keys('Enter');
      return tmux!.waitFor(expected);
    };

    let screen = await run('/users', 'Users (2):');
    expect(screen).toMatch(/@root\s+online \(1 session\)/);
    expect(screen).toMatch(/ eve\s+online \(1 session\)/);
    screen = await run('/stats', 'Connections: 2; users online: 2');
    expect(screen).toMatch(/Memory: [\d.]+ MiB resident/);
    screen = await run('/plugins', 'Plugins (4):');
    expect(count(screen, 'Plugins (4):')).toBe(1);
    expect(screen).toMatch(/history\s+\S+\s+loaded/);
    await run('/mute eve 1h noisy', 'eve');
    screen = await run('/mutes', 'Mutes (1):');
    expect(screen).toMatch(/eve — until \d{4}-\d\d-\d\d \d\d:\d\d, by root: noisy/);
    screen = await run('/audit', 'Audit (1):');
    expect(screen).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d root@\S+ mute eve: noisy/);
    screen = await run('/search plan', '1 message match "plan":');
    expect(screen).toMatch(/\d\d:\d\d #general <eve> the plan is ready/);
    expect(screen).not.toMatch(/\b(id|from|ts|text|rssBytes|sessions)=/);
    expect(screen).not.toMatch(/^\s*(users|stats|plugins|mutes|audit|search)\b/m);
  }, 40_000);
});
