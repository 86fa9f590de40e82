import { afterEach, describe, expect, it } from 'vitest';
import { PASSWORD, account, databaseKinds, member, type TestServer } from '../../core/testing/index.js';
import { Framework, RawIrc, startIrc } from './testing.js';

/** IRC's 512 bytes either way: long Whiskr messages reach IRC clients cut into lines, nothing lost. */
describe.each(databaseKinds())('IRC line limits (%s)', (db) => {
  let server: TestServer | undefined;
  const open: { close(): void }[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    await server?.stop();
    server = undefined;
  });

  async function irc(name: string, caps = ''): Promise<RawIrc> {
    const c = await RawIrc.loggedIn(server!, name, caps);
    open.push(c);
    return c;
  }

  it('a 4096-byte message from the line protocol reaches IRC as lines of at most 512 bytes, whole, the msgid on the first', async () => {
    server = await startIrc(db);
    const bob = await member(server, 'bob');
    const carol = await irc('carol', 'message-tags server-time');
    await account(server, 'dave');
    const f = new Framework().connect(server, { nick: 'dave', account: { account: 'dave', password: PASSWORD } });
    open.push(f);
    await f.wait('join', (e) => e.channel === '#general' && e.nick === 'dave');

    // Words of every UTF-8 width, so that cuts fall between words and never inside a character.
    const words = ['plain', 'é-accent', '日本語', 'emoji😀', 'x'.repeat(40)];
    let text = '';
    for (let n = 0; Buffer.byteLength(text) < 4000; n++) text += `${words[n % words.length]}${n} `;
    text = text.trim();
    const sent = await bob.ok(`/msg #general ${text}`, 'message');

    const lines: string[] = [];
    let got = '';
    while (got.length < text.length) {
      const line = await carol.next(/ PRIVMSG #general /);
      lines.push(line);
      got += line.slice(line.indexOf(' :', line.indexOf('PRIVMSG')) + 2);
    }
    expect(got).toBe(text);
    expect(lines.length).toBeGreaterThan(8);
    for (const l of lines) expect(Buffer.byteLength(l.replace(/^@\S+ /, '')) + 2).toBeLessThanOrEqual(512);
    expect(lines[0]).toContain(`msgid=${sent.id}`);
    for (const l of lines.slice(1)) expect(l).not.toContain('msgid=');
    for (const l of lines) expect(l).toMatch(/^@time=\S+;account=bob |^@time=\S+;msgid=\S+;account=bob /);

    // irc-framework, a real client, gets the same pieces and joins them into the same text.
    await f.wait('privmsg', () => f.events.filter((x) => x.name === 'privmsg').map((x) => x.e.message).join('').length >= text.length);
    expect(f.events.filter((x) => x.name === 'privmsg').map((x) => x.e.message).join('')).toBe(text);
  });
});
