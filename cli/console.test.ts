import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { PASSWORD, TerminalServer, TestClient, hasScript } from '../core/testing/index.js';
import { prepare } from '../plugins/admin/testing.js';
import { consoleWanted } from './console.js';

if (!hasScript) console.warn('\n*** The operator console tests on a pseudo-terminal are SKIPPED: util-linux `script` is not installed.\n');

let term: TerminalServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await term?.kill();
  term = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('operator console: when it is on', () => {
  it.each([
    [true, true, {}, true],
    [true, false, {}, false],
    [false, true, {}, false],
    [true, false, { WHISKR_CONSOLE: '1' }, true],
    [false, false, { WHISKR_CONSOLE: '1' }, false],
    [true, true, { WHISKR_CONSOLE: '0' }, false],
  ])('flag %s, terminal %s, env %j: %s', (flag, isTTY, env, expected) => {
    expect(consoleWanted(flag, { isTTY }, env)).toBe(expected);
  });
});

describe.skipIf(!hasScript)('operator console on a real terminal (whiskr serve on a pseudo-terminal)', () => {
  it('logs in as an admin with the password unechoed, runs admin commands, survives /quit, and Ctrl-C stops the server (exit 0)', async () => {
    const prepared = await prepare();
    dir = prepared.dir;
    term = await TerminalServer.start(prepared.configFile);
    await term.waitFor(/Whiskr 0\.1\.0\./);

    // Not logged in yet: admin commands are refused like anywhere else.
    let mark = term.output.length;
    term.type('/stats\r');
    await term.waitFor(/! NOT_LOGGED_IN: Log in first to use \/stats\./, 10_000, mark);

    mark = term.output.length;
    term.type('/login root\r');
    await term.waitFor(/Password: /, 10_000, mark);
    term.type(`${PASSWORD}\r`);
    await term.waitFor(/\* Logged in as root \(admin\)\./, 10_000, mark);
    expect(term.output).not.toContain(PASSWORD);

    const bob = await TestClient.connect(term.port);
    await bob.ok('/format json');
    await bob.ok(`/register bob ${PASSWORD}`, 'login');
    mark = term.output.length;
    term.type('/wall hello from the console\r');
    expect(await bob.next('notice')).toEqual({ type: 'notice', from: 'server', text: 'hello from the console' });
    await term.waitFor(/\* Sent to 2 sessions\./, 10_000, mark);

    term.type('/kick bob take a break\r');
    expect(await bob.next('kicked')).toEqual({ type: 'kicked', by: 'root', text: 'take a break' });
    await bob.waitClosed();
    mark = term.output.length;
    term.type('/audit\r');
    await term.waitFor(/root@console kick bob: take a break/, 10_000, mark);
    term.type('/stats\r');
    await term.waitFor(/\* Connections: 1; users online: 1/, 10_000, mark);

    // /quit ends the console's session; a new one opens at once, not logged in.
    mark = term.output.length;
    term.type('/quit\r');
    await term.waitFor(/\* Bye\.[\s\S]*Whiskr 0\.1\.0\./, 10_000, mark);
    mark = term.output.length;
    term.type('/whoami\r');
    await term.waitFor(/! NOT_LOGGED_IN/, 10_000, mark);

    if (process.env.SHOW_TERMINAL) console.log(term.output);
    term.type('\x03'); // Ctrl-C
    expect(await term.exited).toBe(0);
    expect(term.output).toMatch(/SIGINT received/);
    expect(term.output).toMatch(/stopped/);
  });

  it('Ctrl-D closes the console only: the server keeps serving, and the terminal is back to normal (Ctrl-C is then a plain SIGINT)', async () => {
    const prepared = await prepare();
    dir = prepared.dir;
    term = await TerminalServer.start(prepared.configFile);
    await term.waitFor(/Whiskr 0\.1\.0\./);
    term.type('\x04'); // Ctrl-D
    await term.waitFor(/console closed \(end of input\); the server keeps running/);
    const c = await TestClient.connect(term.port);
    await c.sync();
    term.type('\x03'); // the terminal's own Ctrl-C: SIGINT
    await term.waitFor(/SIGINT received/);
    expect(await term.exited).toBe(0);
  });

  it('is off with --no-console: lines typed at the terminal are not commands', async () => {
    const prepared = await prepare();
    dir = prepared.dir;
    term = await TerminalServer.start(prepared.configFile, ['--no-console']);
    const c = await TestClient.connect(term.port);
    await c.sync(); // the server is up and past its start-up
    term.type('/ping from-the-terminal\r');
    c.send('/ping after-typing');
    await c.line(/pong after-typing/);
    expect(term.output).not.toMatch(/pong from-the-terminal/);
    expect(term.output).not.toMatch(/operator console on standard input/);
    term.child.kill('SIGTERM');
    expect(await term.exited).toBe(0);
  });
});
