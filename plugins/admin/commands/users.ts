import { defineCommand, event, isoTime } from '../../../core/index.js';
import { isoOrNull, type Admin } from '../admin.js';

export const users = (a: Admin) => defineCommand({
  name: 'users', usage: '/users [text]', summary: 'List the accounts (those whose name contains the text), online first', access: 'admin',
  async run(c) {
    const filter = c.args.get(0)?.toLowerCase();
    const all = (await a.ctx.use('auth').listUsers()).filter((u) => !filter || u.name.toLowerCase().includes(filter));
        const entries = all.map((u) => {
      const sessions = a.ctx.sessions.of(u.name).size;
      return {
        name: u.name, role: u.role, status: sessions > 0 ? 'online' as const : 'offline' as const, sessions,
        created: isoTime(u.createdAt), lastSeen: isoOrNull(u.lastSeen),
        banned: a.activeBan(u.name) !== undefined, muted: a.isMuted(u.name),
      };
    }).sort((x, y) => (x.status === y.status ? x.name.localeCompare(y.name) : x.status === 'online' ? -1 : 1));
    return event('users', { users: entries.slice(0, a.config.maxUsersListed), total: entries.length });
  },
});
