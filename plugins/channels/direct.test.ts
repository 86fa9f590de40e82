import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds, type TestServer, account, member, nothing, relogin, startChat } from '../../core/testing/index.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

describe.each(databaseKinds())('direct messages (%s)', (db) => {
  it('/msg user reaches every session of both, and is echoed to the sender', async () => {
    const s = (server = await startChat(db));
    const alice = await member(s, 'alice');
    const alice2 = await relogin(s, 'alice');
    const bob = await member(s, 'Bob');
    const bob2 = await relogin(s, 'bob');
    const sent = await alice.ok('/msg BOB psst, bob', 'message');
    expect(sent).toMatchObject({ type: 'message', from: 'alice', to: 'Bob', text: 'psst, bob', kind: 'message' });
    expect(sent.channel).toBeUndefined();
    expect(sent.offline).toBeUndefined();
    expect(await bob.next('message')).toEqual(sent);
    expect(await bob2.next('message')).toEqual(sent);
    expect(await alice2.next('message')).toEqual(sent);
    expect(await nothing(alice, (e) => e.type === 'message')).toBe(true);
    await alice.fails('/msg nobody hi', 'NO_SUCH_USER');
    await alice.fails('/msg bob', 'BAD_ARGUMENTS');
  });

  it('/switch to a user sends plain lines and /me to them', async () => {
    const s = (server = await startChat(db));
    const alice = await member(s, 'alice');
    const bob = await member(s, 'bob');
    expect(await alice.ok('/switch bob')).toMatchObject({ target: 'bob' });
    expect(await alice.request('just us', 'message')).toMatchObject({ to: 'bob', text: 'just us' });
    expect(await alice.request('/me nods', 'message')).toMatchObject({ to: 'bob', kind: 'action' });
    expect(await bob.next('message')).toMatchObject({ from: 'alice', to: 'bob', text: 'just us' });
    expect(await bob.next('message')).toMatchObject({ kind: 'action', text: 'nods' });
    expect(await alice.ok('/whoami', 'whoami')).toMatchObject({ target: 'bob' });
  });

  it('keeps messages for an offline user across a restart and delivers them at login, in order, once', async () => {
    let s = (server = await startChat(db));
    await account(s, 'carol');
    const alice = await member(s, 'alice');
    const bob = await member(s, 'bob');
    const sent = [];
    for (const [who, text] of [[alice, 'one'], [bob, 'two'], [alice, 'three']] as const) sent.push(await who.ok(`/msg carol ${text}`, 'message'));
    expect(sent.map((m) => m.offline)).toEqual([undefined, undefined, undefined]);
    s = server = await s.restart();
    const carol = await s.login('carol');
    await carol.next('history');
    const got = [await carol.next('message'), await carol.next('message'), await carol.next('message')];
    expect(got).toEqual(sent.map((m) => ({ ...m, offline: true })));
    const types = carol.events.map((e) => e.type);
    expect(types.indexOf('message')).toBeGreaterThan(types.indexOf('history'));
    // Exactly once: the next login (and a second session) gets nothing.
    const again = await relogin(s, 'carol');
    expect(await nothing(again, (e) => e.type === 'message')).toBe(true);
    await carol.ok('/logout');
    const third = await relogin(s, 'carol');
    expect(await nothing(third, (e) => e.type === 'message')).toBe(true);
  });

  it('refuses more than maxOfflinePerUser waiting messages', async () => {
    const s = (server = await startChat(db, { channels: { maxOfflinePerUser: 2 } }));
    await account(s, 'carol');
    const alice = await member(s, 'alice');
    await alice.ok('/msg carol 1', 'message');
    await alice.ok('/msg carol 2', 'message');
    expect((await alice.fails('/msg carol 3', 'RATE_LIMITED')).text).toMatch(/carol has 2 messages waiting/);
    const carol = await relogin(s, 'carol');
    await carol.next((e) => e.type === 'message' && e.text === '2');
    await alice.ok('/msg carol 3', 'message');
    expect(await carol.next('message')).toMatchObject({ text: '3' });
  });

  it('post() from the service takes the same path (bots, reminders)', async () => {
    const s = (server = await startChat(db));
    await account(s, 'carol');
    const alice = await member(s, 'alice');
    const service = s.server.service('channels')!;
    const m = await service.post('alice', '#general', 'posted', { kind: 'action' });
    expect(await alice.next('message')).toEqual({ type: 'message', ...m });
    expect(m).toMatchObject({ from: 'alice', channel: '#general', kind: 'action' });
    await service.post('alice', 'carol', 'later', {});
    await expect(service.post('alice', '#nope', 'x')).rejects.toThrow(/no channel/);
    const carol = await relogin(s, 'carol');
    expect(await carol.next('message')).toMatchObject({ from: 'alice', to: 'carol', text: 'later', offline: true });
  });
});
