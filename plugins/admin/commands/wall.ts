import { defineCommand, event } from '../../../core/index.js';
import type { Admin } from '../admin.js';

export const wall = (a: Admin) => defineCommand({
  name: 'wall', usage: '/wall <text…>', summary: 'Send a notice to every session', access: 'admin', minArgs: 1,
  async run(c) {
    const text = a.text(c.args.rest(0));
    a.ctx.delivery.toAll(event('notice', { from: 'server', text }));
    await a.audit(c, 'wall', null, text, `${a.ctx.sessions.count} sessions`);
    return event('ok', { command: 'wall', text: `Sent to ${a.ctx.sessions.count} session${a.ctx.sessions.count === 1 ? '' : 's'}.` });
  },
});
