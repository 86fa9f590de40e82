import { afterEach, describe, expect, it } from 'vitest';
import { PASSWORD, account, adminClient, databaseKinds, member, type TestServer } from '../../core/testing/index.js';
import { RawIrc, startIrc } from './testing.js';

/** IRC and line-protocol users on one server: private channels, bots, operators and moderation. */
describe.each(databaseKinds())('IRC interop (%s)', (db) => {
  let server: TestServer | undefined;
  const open: RawIrc[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    await server?.stop();
    server = undefined;
  });

  /** An IRC client logged in with the server password, its auto-join done. */
  async function irc(name: string, role: 'user' | 'admin' = 'user'): Promise<RawIrc> {
    await account(server!, name, role);
    const c = await RawIrc.connect(server!);
    open.push(c);
    await c.register(name, `:${name}:${PASSWORD}`);
    await c.next(new RegExp(` 366 ${name} #general `));
    return c;
  }

  it('a private channel is +nsi to its members and does not exist for anyone else', async () => {
    server = await startIrc(db);
    const bob = await member(server, 'bob');
    const carol = await irc('carol');
    const dave = await irc('dave');
    await bob.ok('/channel create #secret carol', 'join');
    await carol.next(/^:carol!carol@whiskr JOIN #secret$|INVITE carol #secret/);
    carol.send('MODE #secret');
    await carol.next(/ 324 carol #secret \+nsi$/);
    carol.send('PRIVMSG #secret :members only');
    expect((await bob.next((e) => e.type === 'message' && e.channel === '#secret')).text).toBe('members only');

    dave.send('MODE #secret', 'NAMES #secret', 'LIST', 'JOIN #secret');
    await dave.next(/ 403 dave #secret /);
    const names = await dave.next(/ (353|366) dave /);
    expect(names).toMatch(/ 366 dave #secret /);
    const listed: string[] = [];
    for (let l = await dave.next(/ 32[23] dave /); !/ 323 /.test(l); l = await dave.next(/ 32[23] dave /)) listed.push(l);
    expect(listed.join('\n')).toContain('#general');
    expect(listed.join('\n')).not.toContain('#secret');
    await dave.next(/ 403 dave \(join\) |NO_SUCH_CHANNEL/);
  });

  it('bots answer !roll from IRC for IRC and line-protocol users alike', async () => {
    server = await startIrc(db, { bots: {} });
    const bob = await member(server, 'bob');
    const carol = await irc('carol');
    carol.send('PRIVMSG #general :!roll 2d6');
    const answer = await bob.next((e) => e.type === 'message' && e.from === 'dice');
    expect(answer.text).toMatch(/^carol rolled 2d6: \[[1-6], [1-6]\] = \d+$/);
    await carol.next(new RegExp(`^:dice!dice@whiskr PRIVMSG #general :${answer.text.replace(/[[\]+()]/g, '\\$&')}$`));
  });

  it('admins are operators; Whiskr commands through the Whiskr nick and WHISKR; bans, mutes and kicks read as on the line protocol', async () => {
    server = await startIrc(db, { admin: {} });
    const root = await irc('root', 'admin');
    const bob = await irc('bob');
    const carol = await member(server, 'carol');
    bob.send('WHOIS root', 'NAMES #general', 'MODE root');
    await bob.next(/ 313 bob root :is a server administrator/);
    await bob.next(/ 353 bob = #general :.*@root/);
    await bob.next(/ 502 bob /);
    root.send('MODE root');
    await root.next(/ 221 root \+io$/);

    // A non-admin's admin command gets the line protocol's refusal, as a NOTICE from Whiskr.
    bob.send('PRIVMSG Whiskr :mute carol 10m');
    await bob.next(/^:Whiskr NOTICE bob :! NOT_ALLOWED: \/mute is for admins\.$/);

    root.send('PRIVMSG Whiskr :mute bob 10m flooding');
    await root.next(/^:Whiskr NOTICE root :\* Muted bob until .* UTC\.$/);
    await bob.next(/NOTICE bob :\[server\] You were muted by root until .* UTC: flooding$/);
    bob.send('PRIVMSG #general :still talking');
    await bob.next(/NOTICE bob :MUTED: You are muted until .* UTC \(by root\): flooding$/);
    root.send('WHISKR unmute bob');
    await root.next(/^:Whiskr NOTICE root :\* bob may speak again\.$/);

    root.send('KICK #general carol :enough');
    expect(await carol.next('kicked')).toMatchObject({ by: 'root', text: 'enough' });
    bob.send('KICK #general root');
    await bob.next(/ 482 bob #general /);

    root.send('PRIVMSG Whiskr :ban bob 1h spam');
    await bob.next(/^ERROR :Banned by root: spam \(until .*\)$/);
    await bob.whenClosed();
    const again = await RawIrc.connect(server);
    open.push(again);
    again.send(`PASS :bob:${PASSWORD}`, 'NICK bob', 'USER b 0 * :b');
    await again.next(/ 464 bob :Password incorrect \(BANNED: You are banned until .* \(by root\): spam\)$/);
  });

  it('topics and presence cross protocols', async () => {
    server = await startIrc(db);
    const bob = await member(server, 'bob');
    const carol = await irc('carol');
    carol.send('TOPIC #general :from irc');
    expect(await bob.next('topic')).toMatchObject({ channel: '#general', topic: 'from irc', by: 'carol' });
    await bob.ok('/topic #general from the line protocol', 'topic');
    await carol.next(/^:bob!bob@whiskr TOPIC #general :from the line protocol$/);
    carol.send('TOPIC #general');
    await carol.next(/ 332 carol #general :from the line protocol$/);
    carol.send('AWAY :lunch');
    await carol.next(/ 306 carol /);
    bob.send('/whois carol');
    expect(await bob.next('whois')).toMatchObject({ user: 'carol', status: 'away', text: 'lunch' });
    carol.send('ISON bob nobody carol', 'USERHOST bob');
    await carol.next(/ 303 carol :bob carol$/);
    await carol.next(/ 302 carol :?bob=\+bob@whiskr$/);
  });
});
