import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds, type TestServer, account, member, nothing, relogin, startChat } from '../../core/testing/index.js';
import { full } from './testing.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

const presence = (user: string, status?: string) => (e: { type: string; user?: unknown; status?: unknown }) =>
  e.type === 'presence' && e.user === user && (status === undefined || e.status === status);

describe.each(databaseKinds())('presence (%s)', (db) => {
  it('tells those who share a channel when a user connects (first session only) and logs out (last only)', async () => {
    const s = (server = await startChat(db));
    const alice = await member(s, 'alice');
    const loner = await member(s, 'loner');
    await loner.ok('/part #general', 'part');
    const bob = await member(s, 'bob');
    expect(await alice.next(presence('bob'))).toEqual({ type: 'presence', user: 'bob', status: 'online' });
    expect(await nothing(loner, presence('bob'))).toBe(true);
    expect(await nothing(bob, presence('bob'))).toBe(true);
    const bob2 = await relogin(s, 'bob');
    expect(await nothing(alice, presence('bob'))).toBe(true);
    await bob2.ok('/logout');
    expect(await nothing(alice, (e) => presence('bob')(e) || e.type === 'part')).toBe(true);
    await bob.ok('/logout');
    expect(await alice.next('part')).toEqual({ type: 'part', channel: '#general', user: 'bob', text: 'Logged out', quit: true });
    expect(await alice.next(presence('bob'))).toEqual({ type: 'presence', user: 'bob', status: 'offline' });
    expect(await nothing(loner, presence('bob'))).toBe(true);
  });

  it('tells them when a connection drops, and passes on the /quit text', async () => {
    const s = (server = await startChat(db));
    const alice = await member(s, 'alice');
    const bob = await member(s, 'bob');
    await alice.ok('/join #dev', 'join', full);
    await bob.ok('/join #dev', 'join', full);
    bob.close();
    const parts = [await alice.next('part'), await alice.next('part')];
    expect(parts.map((p) => [p.channel, p.user, p.text])).toEqual([['#general', 'bob', 'Disconnected'], ['#dev', 'bob', 'Disconnected']]);
    expect(await alice.next(presence('bob'))).toMatchObject({ status: 'offline' });
    const carol = await member(s, 'carol');
    carol.send('/quit gone fishing');
    expect(await alice.next('part')).toMatchObject({ user: 'carol', text: 'gone fishing' });
    expect(await alice.next(presence('carol', 'offline'))).toBeTruthy();
    // Kicked or banned (the admin plugin closes the sessions with a reason): said in the part.
    const dan = await member(s, 'dan');
    s.server.disconnectUser('dan', { type: 'kicked', by: 'root', text: 'enough' }, 'kicked');
    expect(await alice.next('part')).toEqual({ type: 'part', channel: '#general', user: 'dan', text: 'Kicked', quit: true });
    expect(await alice.next(presence('dan', 'offline'))).toBeTruthy();
    expect(await dan.next('kicked')).toMatchObject({ by: 'root' });
    // Back at the next login: a join where they are, and presence online.
    await relogin(s, 'bob', 2);
    expect(await alice.next((e) => e.type === 'join' && e.user === 'bob' && e.channel === '#general')).toBeTruthy();
    expect(await alice.next((e) => e.type === 'join' && e.user === 'bob' && e.channel === '#dev')).toBeTruthy();
    expect(await alice.next(presence('bob', 'online'))).toBeTruthy();
  });

  it('/away sets and clears a status that /who, /whois and those sharing a channel see', async () => {
    const s = (server = await startChat(db));
    const alice = await member(s, 'alice');
    const bob = await member(s, 'bob');
    const bob2 = await relogin(s, 'bob');
    const away = await bob.ok('/away at lunch', 'presence');
    expect(away).toEqual({ type: 'presence', user: 'bob', status: 'away', text: 'at lunch' });
    expect(await alice.next(presence('bob', 'away'))).toEqual(away);
    expect(await bob2.next(presence('bob', 'away'))).toEqual(away);
    expect(await alice.ok('/whois bob', 'whois')).toMatchObject({ user: 'bob', status: 'away', text: 'at lunch' });
    expect((await alice.ok('/who', 'who')).users).toEqual([
      { name: 'alice', status: 'online', role: 'user', bot: false }, { name: 'bob', status: 'away', role: 'user', bot: false }]);
    // A new session of an away user is away too; the same /away again tells nobody.
    const bob3 = await relogin(s, 'bob');
    expect(await bob3.ok('/whois bob', 'whois')).toMatchObject({ status: 'away' });
    await bob.ok('/away at lunch', 'presence');
    expect(await nothing(alice, presence('bob'))).toBe(true);
    expect(await bob.ok('/away', 'presence')).toEqual({ type: 'presence', user: 'bob', status: 'online' });
    expect(await alice.next(presence('bob', 'online'))).toEqual({ type: 'presence', user: 'bob', status: 'online' });
    expect(s.server.service('channels')!.presence('bob')).toEqual({ status: 'online' });
  });

  it('/who lists everyone online or a channel\'s members now; /whois shows status, role, last seen and channels', async () => {
    const s = (server = await startChat(db));
    await account(s, 'root', 'admin');
    await account(s, 'ghost');
    const alice = await member(s, 'alice');
    const root = await relogin(s, 'root');
    await root.ok('/join #ops', 'join', full);
    expect(await alice.ok('/who', 'who')).toEqual({ type: 'who', users: [
      { name: 'alice', status: 'online', role: 'user', bot: false }, { name: 'root', status: 'online', role: 'admin', bot: false }] });
    expect(await alice.ok('/who #OPS', 'who')).toEqual({ type: 'who', channel: '#ops', users: [{ name: 'root', status: 'online', role: 'admin', bot: false }] });
    await alice.fails('/who #nope', 'NO_SUCH_CHANNEL');
    const whois = await alice.ok('/whois ROOT', 'whois');
    expect(whois).toMatchObject({ user: 'root', status: 'online', role: 'admin', channels: ['#general', '#ops'] });
    expect(new Date(whois.lastSeen).toISOString()).toBe(whois.lastSeen);
    expect(await alice.ok('/whois ghost', 'whois')).toEqual({ type: 'whois', user: 'ghost', status: 'offline', role: 'user', lastSeen: null, channels: [] });
    await alice.fails('/whois nobody', 'NO_SUCH_USER');
    await alice.fails('/whois', 'BAD_ARGUMENTS');
    root.send('/logout');
    await alice.next(presence('root', 'offline'));
    const after = await alice.ok('/whois root', 'whois');
    expect(after).toMatchObject({ status: 'offline', channels: ['#general', '#ops'] });
    expect(after.lastSeen).not.toBeNull();
  });
});
