import { afterEach, describe, expect, it } from 'vitest';
import { TestServer } from '../../../core/testing/index.js';
import { hasTmux, Tmux } from './tmux.js';

/** Columns a captured row takes, for the text these tests use (emoji and Han are two columns, the rest one). */
const columns = (row: string) => [...row].reduce((w, ch) => w + (/[\u200b-\u200d]/.test(ch) ? 0 : /\p{Emoji_Presentation}|\p{Script=Han}/u.test(ch) ? 2 : 1), 0);
/** Where the separators of the three panes are, in columns, on each body row. */
const separators = (screen: string) => screen.split('\n').slice(1, screen.split('\n').findIndex((r) => r.startsWith(' [online]'))).map((row) => {
  const at: number[] = [];
  let col = 0;
  for (const ch of row) { if (ch === '│') at.push(col); col += columns(ch); }
  return at.join(',');
});

let server: TestServer | undefined;
let tmux: Tmux | undefined;
afterEach(async () => { tmux?.kill(); tmux = undefined; await server?.stop(); server = undefined; });

describe.skipIf(!hasTmux)('terminal client: text outside ASCII (tmux)', () => {
  it('sends emoji whole and draws wide characters two columns wide, in the panes and the input line', async () => {
    server = await TestServer.start({ plugins: { auth: {}, channels: {}, history: {} } });
    const bob = await server.user('bob');
    tmux = new Tmux();
    tmux.start({ port: server.port, width: 80, height: 24 });
    await tmux.login('alice', 'correct horse battery', true);
    await tmux.waitFor('+ bob');

    // Typed: everything arrives whole, the emoji too (not U+FFFD).
    tmux.type('héllo wörld 漢字 🙂 typed');
    tmux.keys('Enter');
    const got = await bob.next((e) => e.type === 'message' && e.from === 'alice');
    expect(got.text).toBe('héllo wörld 漢字 🙂 typed');

    // Drawn: the character after an emoji is not eaten, the separators stay in their columns, and a
    // long line of emoji wraps inside the pane.
    await bob.ok('/msg #general 😀 漢字 after', 'message');
    await bob.ok('/msg #general coding 👩\u200d💻 now', 'message');
    await bob.ok(`/msg #general ${'🙂'.repeat(40)} end`, 'message');
    let screen = await tmux.waitFor(' end');
    expect(screen).toContain('<bob> 😀 漢字 after');
    expect(screen).toContain('<alice> héllo wörld 漢字 🙂 typed');
    expect(new Set(separators(screen)).size).toBe(1);
    // Wrapped by columns: the 50-column pane holds the 12 columns of time and name and 19 emoji, then 21 and " end".
    const rows = screen.split('\n');
    const first = rows.findIndex((r) => r.includes('<bob> 🙂'));
    expect([rows[first]!.split('🙂').length - 1, rows[first + 1]!.split('🙂').length - 1]).toEqual([19, 21]);
    expect(rows[first + 1]).toContain('🙂 end');

    // The input line: the cursor (an inverse cell) sits right after what was typed, counted in columns.
    tmux.type('🙂🙂 漢');
    await tmux.waitFor('[#general] 🙂🙂 漢');
    const input = tmux.screen(true).trimEnd().split('\n').at(-1)!;
    const before = input.slice(0, input.search(/\u001b\[[0-9;]*\b7m/)).replace(/\u001b\[[0-9;]*m/g, '');
    expect(columns(before)).toBe(columns('[#general] 🙂🙂 漢'));

    // After a resize nothing stray is left behind.
    tmux.resize(100, 30);
    screen = await tmux.waitFor((s) => s.split('\n')[28]?.startsWith(' [online]') === true && s.includes(' end'));
    expect(new Set(separators(screen)).size).toBe(1);
  }, 60_000);
});
