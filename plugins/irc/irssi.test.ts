import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { member, type TestServer } from '../../core/testing/index.js';
import { ircPort, startIrc } from './testing.js';
import '../auth/api.js';

/**
 * A real terminal IRC client from Debian's packages: irssi in tmux connects with the server password,
 * is auto-joined, chats with a line-protocol (netcat-like) user both ways, and quits. Waiting is polling
 * the pane for the expected text, with a bound; no sleeps.
 */
const hasTools = spawnSync('tmux', ['-V']).status === 0 && spawnSync('irssi', ['--version']).status === 0;
const SOCKET = `whiskr-irssi-${process.pid}-${Date.now().toString(36)}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'irssi');
const type = (text: string) => { tmux('send-keys', '-t', 'irssi', '-l', text); tmux('send-keys', '-t', 'irssi', 'Enter'); };

async function waitFor(what: RegExp, timeout = 10_000): Promise<string> {
  const deadline = Date.now() + timeout;
  let last = '';
  for (;;) {
    try { last = screen(); } catch { last = '(no tmux session)'; }
    if (what.test(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} on irssi's screen:\n${last}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let server: TestServer | undefined;
let home: string | undefined;
afterEach(async () => {
  spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  if (home) rmSync(home, { recursive: true, force: true });
  home = undefined;
  await server?.stop();
  server = undefined;
});

describe.skipIf(!hasTools)('irssi (a real IRC client, in tmux)', () => {
  it('connects with account:password, is auto-joined to #general, chats with a line-protocol user both ways, quits', async () => {
    server = await startIrc('sqlite');
    // irssi's -w splits its value at spaces (it builds a /connect line): a password without any.
    await server.server.service('auth')!.createUser('alice', 'irssi-secret-42');
    const bob = await member(server, 'bob');
    home = mkdtempSync(join(tmpdir(), 'whiskr-irssi-'));
    const password = 'alice:irssi-secret-42';
    const cmd = `irssi --home=${home} -n alice -c 127.0.0.1 -p ${ircPort(server)} -w '${password}'; sleep 30`;
    execFileSync('tmux', ['-L', SOCKET, '-f', '/dev/null', 'new-session', '-d', '-s', 'irssi', '-x', '120', '-y', '30', cmd], { env: { ...process.env, TERM: 'xterm-256color' } });

    await waitFor(/Welcome to the Whiskr IRC network/);
    await bob.next((e) => e.type === 'join' && e.user === 'alice' && e.channel === '#general');
    type('/window goto #general');
    await waitFor(/\[#general\]/);
    type('hello from irssi');
    expect(await bob.next((e) => e.type === 'message' && e.text === 'hello from irssi')).toMatchObject({ from: 'alice', channel: '#general' });

    await bob.ok('/msg #general hi irssi, from the line protocol', 'message');
    await waitFor(/<.?bob> hi irssi, from the line protocol/);
    await bob.ok('/me waves \u001b[2J at irssi', 'message');
    const shown = await waitFor(/\* bob waves/);
    expect(shown).toContain('waves ^[[2J at irssi'); // a terminal escape from another user is shown, never run

    type('/quit see you');
    expect(await bob.next((e) => e.type === 'part' && e.user === 'alice')).toMatchObject({ channel: '#general', text: 'see you' });
  }, 30_000);
});
