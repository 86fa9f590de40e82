import { defineCommand, event } from '../../../core/index.js';
import type { Admin } from '../admin.js';

export const unban = (a: Admin) => defineCommand({
  name: 'unban', usage: '/unban <user>', summary: 'Lift the ban of a user', access: 'admin', minArgs: 1,
  async run(c) {
    const name = c.args.get(0)!;
    const stored = await a.store.ban(name);
    if (!stored) {
      const account = await a.account(name); // NO_SUCH_USER for a typo
      return event('ok', { command: 'unban', text: `${account.name} was not banned.` });
    }
    await a.store.removeBan(name);
    await a.audit(c, 'unban', stored.user);
    return event('ok', { command: 'unban', text: `${stored.user} is no longer banned.` });
  },
});
