import { defineCommand, event } from '../../../core/index.js';
import type { Admin } from '../admin.js';

export const unban = (a: Admin) => defineCommand({
  name: 'unban', usage: '/unban <user>', summary: 'Lift the ban of a user', access: 'admin', minArgs: 1,
  async run(c) {
    const name = c.args.get(0)!;
    const running = a.activeBan(name);
    const lifted = await a.unban(name);
    if (!running) {
      const shown = lifted?.user ?? (await a.account(name)).name; // NO_SUCH_USER for a typo
      return event('ok', { command: 'unban', text: `${shown} was not banned.` });
    }
    await a.audit(c, 'unban', running.user);
    return event('ok', { command: 'unban', text: `${running.user} is no longer banned.` });
  },
});
