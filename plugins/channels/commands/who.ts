import { WhiskrError, defineCommand, event, nameKey } from '../../../core/index.js';
import type { WhoEntry } from '../api.js';
import type { ChannelsCommands } from './index.js';

const byName = (a: WhoEntry, b: WhoEntry) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' });

export default ({ state, presence }: ChannelsCommands) => defineCommand({
  name: 'who', usage: '/who [#channel]', summary: 'Who is online, or who is in a channel now (bots included)', access: 'user',
  run({ args, user }) {
    const users: WhoEntry[] = [];
    const entry = (name: string, role: WhoEntry['role'], bot: boolean): WhoEntry => ({ name, status: presence.of(name).status, role, bot });
    const name = args.get(0);
    if (name) {
      if (!name.startsWith('#')) throw new WhiskrError('BAD_ARGUMENTS', 'Usage: /who [#channel] (for one user: /whois <user>)');
      const ch = state.visible(name, user.name);
      const seen = new Set<string>();
      for (const s of ch.sessions) {
        if (!s.user || seen.has(s.user.name)) continue;
        seen.add(s.user.name);
        users.push(entry(s.user.name, s.user.role, false));
      }
      // Members on other nodes of a cluster (their role is not known here: shown as user).
      for (const m of ch.users.values()) {
        if (!m.joined || seen.has(m.name) || !state.cluster.elsewhere(m.name)) continue;
        seen.add(m.name);
        users.push(entry(m.name, 'user', false));
      }
      for (const b of ch.bots.values()) users.push(entry(b, 'user', true));
      return event('who', { channel: ch.name, users: users.sort(byName) });
    }
    const here = new Set<string>();
    for (const u of state.ctx.sessions.onlineUsers()) { here.add(nameKey(u.name)); users.push(entry(u.name, u.role, false)); }
    for (const u of state.ctx.cluster.remoteUsers()) if (!here.has(nameKey(u))) users.push(entry(u, 'user', false));
    for (const b of state.bots.all()) users.push(entry(b.name, 'user', true));
    return event('who', { users: users.sort(byName) });
  },
});
