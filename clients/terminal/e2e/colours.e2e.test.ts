import { afterEach, describe, expect, it } from 'vitest';
import { TestServer } from '../../../core/testing/index.js';
import { hasTmux, Tmux } from './tmux.js';

let server: TestServer | undefined;
let tmux: Tmux | undefined;
afterEach(async () => { tmux?.kill(); tmux = undefined; await server?.stop(); server = undefined; });

/** The SGR parameters in effect at the start of each captured cell run, for a row holding `text`. */
const plain = (row: string) => row.replace(/\u001b\[[0-9;]*m/g, '');
const codesOf = (screen: string, text: string) => {
  const row = screen.split('\n').find((r) => plain(r).includes(text));
  expect(row, `a row with ${text}`).toBeDefined();
  return row!.match(/\u001b\[[0-9;]*m/g) ?? [];
};
const black = (code: string) => /^\u001b\[(?:[0-9;]*;)?30(?:;[0-9;]*)?m$/.test(code);

describe.skipIf(!hasTmux)('terminal client: colours on terminals blessed reads as 8-colour (tmux)', () => {
  it.each(['tmux-256color', 'screen', 'xterm'])('TERM=%s: nothing is drawn black (times, event lines, headings, hints)', async (term) => {
    server = await TestServer.start({ plugins: { auth: {}, channels: {}, history: {} } });
    const bob = await server.user('bob');
    await bob.ok('/msg #general hello', 'message');
    tmux = new Tmux();
    tmux.start({ port: server.port, term });
    await tmux.waitFor('Log in to a Whiskr server', 20_000);
    let screen = tmux.screen(true);
    expect(codesOf(screen, 'Tab/Up/Down move').filter(black)).toEqual([]);
    await tmux.login('alice', 'correct horse battery', true);
    screen = await tmux.waitFor('You joined #general', 8000, true);
    for (const row of ['You joined #general', '<bob> hello', 'channels', 'members 2']) {
      expect({ row, black: codesOf(screen, row).filter(black) }).toEqual({ row, black: [] });
    }
    // The separators and the time are still drawn apart from the text where the terminal can (bright black).
    if (term === 'tmux-256color') expect(codesOf(screen, '<bob> hello').join('')).toMatch(/\u001b\[90m/);
  }, 30_000);
});
