import { defineCommand, event } from '../../../core/index.js';
import type { Auth } from '../auth.js';

export const whoami = (auth: Auth) => defineCommand({
  name: 'whoami',
  usage: '/whoami',
  summary: 'Who you are logged in as, your role, channels and current target',
  access: 'user',
  run(ctx) {
    const { name, role } = ctx.user;
    const where = auth.whereabouts?.(name, ctx.session) ?? { channels: [], target: null };
    return event('whoami', { user: name, role, ...where });
  },
});
