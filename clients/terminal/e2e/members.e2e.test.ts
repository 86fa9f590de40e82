import { afterEach, beforeEach, describe, it } from 'vitest';
import { TestServer, type TestClient } from '../../../core/testing/index.js';
import { hasTmux, Tmux } from './tmux.js';

/**
 * A big channel's members pane: the server lists the first names only (joinMembers), the client shows how
 * many there are and fetches the rest a page at a time (`/who #general after=`) as the pane scrolls.
 */
let server: TestServer;
let tmux: Tmux;
const people: TestClient[] = [];
const MEMBERS = 40;
const name = (i: number) => `u${String(i).padStart(2, '0')}`;

beforeEach(async () => {
  server = await TestServer.start({ plugins: { auth: {}, channels: { joinMembers: 5, whoPage: 8 }, history: {} } });
  for (let i = 1; i <= MEMBERS; i++) people.push(await server.user(name(i)));
  tmux = new Tmux();
});
afterEach(async () => {
  tmux.kill();
  for (const p of people.splice(0)) p.close();
  await server.stop();
});

describe.skipIf(!hasTmux)('terminal client: a big channel\'s members (tmux)', () => {
  it('shows the count, and pages the members in as the pane scrolls to them', async () => {
    tmux.start({ port: server.port, width: 100, height: 20 });
    await tmux.login('alice', 'correct horse battery', true);
    // alice and 40 others; the join reply had 5 names, the pane says how many there are.
    await tmux.waitFor(`members ${MEMBERS + 1}`);
    tmux.keys('F2');
    // Down one member at a time; each is on the screen once its page is in (a key pressed at the end of
    // what is loaded stays there, as it would for a person, who presses again).
    for (let i = 1; i <= MEMBERS; i++) {
      tmux.keys('Down');
      await tmux.waitFor(name(i));
    }
    // The last of them was on a page far past the join's five: it came through /who after=.
    await tmux.waitFor((s) => s.includes(`+ ${name(MEMBERS)}`));
  });
});
