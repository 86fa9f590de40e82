import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestServer, databaseKinds, member, nothing, startChat } from '../../core/testing/index.js';
import { full } from './testing.js';

const coreUrl = pathToFileURL(join(import.meta.dirname, '..', '..', 'core', 'index.ts')).href;

/** A plugin that refuses every message from "mallory" in the message.check hook (as the admin plugin's mute does). */
const gagPlugin = `
import { definePlugin, WhiskrError } from '${coreUrl}';
export default definePlugin({
  name: 'gag', version: '1', defaults: {},
  setup(ctx) {
    ctx.hook('message.check', (m) => { if (m.from === 'mallory') throw new WhiskrError('MUTED', 'You are muted.'); });
  },
});
`;

let dir: string;
let server: TestServer | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'whiskr-channels-gag-'));
  mkdirSync(join(dir, 'gag'));
  writeFileSync(join(dir, 'gag', 'index.ts'), gagPlugin);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => { await server?.stop(); server = undefined; });

describe.each(databaseKinds())('reload and checks (%s)', (db) => {
  it('a /plugin reload keeps everyone in place, silently', async () => {
    const s = (server = await startChat(db));
    const alice = await member(s, 'alice');
    const bob = await member(s, 'bob');
    await alice.ok('/join #dev', 'join', full);
    await bob.ok('/join #dev', 'join', full);
    await bob.ok('/away brb', 'presence');
    await alice.sync();
    const seen = alice.events.length;
    await s.server.plugins.reload('channels');
    await alice.sync();
    await bob.sync();
    expect(alice.events.slice(seen).filter((e) => e.type !== 'pong')).toEqual([]);
    expect(await alice.request('after the reload', 'message')).toMatchObject({ channel: '#dev' });
    expect(await bob.next((e) => e.type === 'message' && e.text === 'after the reload')).toMatchObject({ channel: '#dev' });
    expect((await alice.ok('/who #dev', 'who')).users.map((u: { name: string; status: string }) => [u.name, u.status])).toEqual([['alice', 'online'], ['bob', 'away']]);
    expect(await bob.ok('/whoami', 'whoami')).toMatchObject({ channels: ['#general', '#dev'], target: '#dev' });
    bob.close();
    expect(await alice.next('part')).toMatchObject({ user: 'bob', text: 'Disconnected' });
    expect(await alice.next('presence')).toMatchObject({ user: 'bob', status: 'offline' });
  });

  it('a message refused by message.check (a mute) reaches nobody and is not stored', async () => {
    const s = (server = await TestServer.start({ db, plugins: { auth: {}, history: { flushIntervalMs: 10 }, channels: {}, [join(dir, 'gag')]: {} } }));
    const alice = await member(s, 'alice');
    const mallory = await member(s, 'mallory');
    expect((await mallory.fails('hello all', 'MUTED')).text).toBe('You are muted.');
    await mallory.fails('/msg alice psst', 'MUTED');
    await mallory.fails('/me waves', 'MUTED');
    expect(await nothing(alice, (e) => e.type === 'message')).toBe(true);
    await s.server.service('history')!.flush();
    expect(await s.server.service('history')!.recent({ channel: '#general' }, 10)).toEqual([]);
  });
});
