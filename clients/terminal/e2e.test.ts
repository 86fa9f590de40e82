import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { TestServer } from '../../core/testing/index.js';

/**
 * The real client in a real pseudo-terminal: tmux runs `whiskr client` at 100×30, the test types with
 * send-keys and reads the screen with capture-pane, against a real server with a second connection.
 * Waiting is polling the screen for the expected text, with a bound.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const BASE = `whiskr-e2e-${process.pid}-${Date.now().toString(36)}`;
/** Our own tmux servers, by socket name: one per client run (a server being killed cannot take a new session). */
const SOCKETS = [`${BASE}-1`, `${BASE}-2`];
let SOCKET = SOCKETS[0]!;

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'whiskr');
const keys = (...k: string[]) => { tmux('send-keys', '-t', 'whiskr', ...k); };
const type = (text: string) => { tmux('send-keys', '-t', 'whiskr', '-l', text); };

/**
 * Run the client in a new tmux session (100×30). When it exits, the shell prints its exit status and
 * whether the terminal is back in canonical mode with echo, and keeps the pane open to be read (the test kills its tmux server).
 */
function start(port: number, user?: string): void {
  const env = { ...process.env, NODE_OPTIONS: '', TERM: 'xterm-256color' };
  const client = `node bin/whiskr.js client --host 127.0.0.1 --port ${port}${user ? ` -u ${user}` : ''}`;
  const script = `cd ${JSON.stringify(ROOT)} && ${client}; echo "client exited: $?"; stty -a | tr ' ;' '\\n\\n' | grep -x -e -icanon -e icanon -e -echo -e echo; sleep 30`;
  execFileSync('tmux', ['-L', SOCKET, '-f', '/dev/null', 'new-session', '-d', '-s', 'whiskr', '-x', '100', '-y', '30', script], { env });
}

async function waitFor(what: string | RegExp | ((screen: string) => boolean), timeout = 8000): Promise<string> {
  const deadline = Date.now() + timeout;
  let last = '';
  for (;;) {
    try { last = screen(); } catch { last = '(no tmux session)'; }
    if (typeof what === 'string' ? last.includes(what) : what instanceof RegExp ? what.test(last) : what(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} on the screen:\n${last}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let server: TestServer | undefined;
afterEach(async () => {
  // Only our own tmux server, by its socket name.
  for (const socket of SOCKETS) {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    rmSync(join(process.env.TMUX_TMPDIR ?? tmpdir(), `tmux-${process.getuid?.() ?? 0}`, socket), { force: true });
  }
  await server?.stop();
  server = undefined;
});

describe.skipIf(!hasTmux)('terminal client in a pseudo-terminal (tmux)', () => {
  it('logs in, sends and receives, shows hostile text inert, creates a channel from the dialog, quits', async () => {
    server = await TestServer.start({ plugins: { auth: {}, channels: {}, history: {} } });
    const bob = await server.user('bob');
    await bob.ok('/msg #general welcome {bold}\u001b[2J\u001b[31mtrap', 'message');

    start(server.port);

    // The login screen: create an account.
    await waitFor('Log in to a Whiskr server', 20_000);
    type('alice');
    keys('Tab');
    type('correct horse battery');
    keys('Tab', 'Tab', 'Enter');
    let text = await waitFor('[online]');
    expect(text).toContain('alice');
    // The replayed history, painted inert: the braces are text, the escape sequences did nothing.
    text = await waitFor('<bob> welcome {bold}[2J[31mtrap');
    expect(text).toMatch(/members 2/);
    expect(text).toMatch(/\+ bob/);

    // Send: the second connection receives it.
    type('hello from the terminal');
    keys('Enter');
    const got = await bob.next((e) => e.type === 'message' && e.from === 'alice');
    expect(got).toMatchObject({ channel: '#general', text: 'hello from the terminal' });
    await waitFor('<alice> hello from the terminal');

    // Receive.
    await bob.ok('/msg #general hi alice, welcome', 'message');
    await waitFor('<bob> hi alice, welcome');
    await bob.ok('/msg alice just between us', 'message');
    text = await waitFor(/bob !1/);

    // Resize to 80×24: the layout follows (status bar and input line at the bottom, members still shown).
    tmux('resize-window', '-t', 'whiskr', '-x', '80', '-y', '24');
    text = await waitFor((t: string) => { const rows = t.split('\n'); return rows.length >= 24 && rows[22]!.startsWith(' [online]') && rows[23]!.startsWith('[#general]'); });
    expect(text).toMatch(/members 2/);

    // The new-channel dialog: name, tick bob, OK.
    keys('C-n');
    text = await waitFor('New private channel');
    expect(text).toContain('[ ] bob');
    type('team');
    keys('Tab', 'Space');
    await waitFor('[x] bob');
    keys('Enter');
    text = await waitFor('#team (private)');
    expect(text).not.toContain('New private channel');
    expect(await bob.next((e) => e.type === 'join' && e.channel === '#team')).toBeTruthy();

    // The connection drops while alice is typing: the client reconnects, what she typed is still there,
    // and what was said meanwhile is shown once.
    type('half typed');
    for (const s of server.server.sessionsOf('alice')) server.server.closeSession(s, 'test drop');
    await bob.ok('/msg #team said during the drop', 'message');
    text = await waitFor('Reconnected.');
    text = await waitFor('<bob> said during the drop');
    expect(text.split('said during the drop').length - 1).toBe(1);
    expect(text.trimEnd().split('\n').at(-1)).toBe('[#team] half typed');

    // Quit cleanly: the process exits 0 and the terminal is back in its normal mode.
    keys('C-u');
    type('/quit');
    keys('Enter');
    text = await waitFor(/client exited: 0[\s\S]*^-?echo$/m);
    expect(text).toMatch(/^icanon$/m);
    expect(text).toMatch(/^echo$/m);
    await bob.next((e) => e.type === 'presence' && e.user === 'alice' && e.status === 'offline');

    // Again, logging in to the account just made, and leaving with Ctrl-C.
    tmux('kill-server');
    SOCKET = SOCKETS[1]!;
    start(server.port, 'alice');
    await waitFor('Log in to a Whiskr server', 20_000);
    type('correct horse battery');
    keys('Enter');
    await waitFor('#team');
    keys('C-c');
    text = await waitFor(/client exited: 0[\s\S]*^-?echo$/m);
    expect(text).toMatch(/^icanon$/m);
    expect(text).toMatch(/^echo$/m);
  }, 60_000);
});
