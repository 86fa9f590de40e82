import { defineCommand, event } from '../../../core/index.js';
import type { Admin } from '../admin.js';

export const unmute = (a: Admin) => defineCommand({
  name: 'unmute', usage: '/unmute <user>', summary: 'Let a muted user speak again', access: 'admin', minArgs: 1,
  async run(c) {
    const name = c.args.get(0)!;
    const muted = a.muteOf(name);
    const removed = await a.unmute(name);
    const shown = muted?.user ?? (await a.account(name)).name;
    if (!removed) return event('ok', { command: 'unmute', text: `${shown} was not muted.` });
    a.ctx.delivery.toUser(shown, event('notice', { from: 'server', text: `You may speak again (unmuted by ${c.user.name}).` }));
    await a.audit(c, 'unmute', shown);
    return event('ok', { command: 'unmute', text: `${shown} may speak again.` });
  },
});
