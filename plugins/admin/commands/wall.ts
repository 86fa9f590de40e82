import { defineCommand, event } from '../../../core/index.js';
import type { Admin } from '../admin.js';

export const wall = (a: Admin) => defineCommand({
  name: 'wall', usage: '/wall <text…>', summary: 'Send a notice to every session', access: 'admin', minArgs: 1,
  async run(c) {
    const text = a.text(c.args.rest(0));
    c.server.delivery.toAll(event('notice', { from: 'server', text }));
    await a.audit(c, 'wall', null, text, `${c.server.sessions.size} sessions`);
    return event('ok', { command: 'wall', text: `Sent to ${c.server.sessions.size} session${c.server.sessions.size === 1 ? '' : 's'}.` });
  },
});
