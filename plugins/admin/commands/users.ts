import { defineCommand, event, isoTime, nameKey } from '../../../core/index.js';
import { isoOrNull } from '../text.js';
import type { AdminCommands } from './index.js';

export default ({ ctx, restrictions }: AdminCommands) => defineCommand({
  name: 'users', usage: '/users [text]', summary: 'List the accounts (those whose name contains the text), online first', access: 'admin',
  async run(command) {
    const given = command.args.get(0);
    const filter = given === undefined ? undefined : nameKey(given);
    const all = (await ctx.use('auth').listUsers()).filter((u) => !filter || nameKey(u.name).includes(filter));
    const entries = all.map((u) => {
      const sessions = ctx.sessions.of(u.name).size;
      return {
        name: u.name, role: u.role, status: sessions > 0 ? 'online' as const : 'offline' as const, sessions,
        created: isoTime(u.createdAt), lastSeen: isoOrNull(u.lastSeen),
        banned: restrictions.running('ban', u.name) !== undefined, muted: restrictions.running('mute', u.name) !== undefined,
      };
    }).sort((x, y) => (x.status === y.status ? x.name.localeCompare(y.name) : x.status === 'online' ? -1 : 1));
    return event('users', { users: entries.slice(0, ctx.config.maxUsersListed), total: entries.length });
  },
});
