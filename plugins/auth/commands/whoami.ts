import { defineCommand, event } from '../../../core/index.js';

export const whoami = () => defineCommand({
  name: 'whoami',
  usage: '/whoami',
  summary: 'Who you are logged in as, your role, channels and current target',
  access: 'user',
  run(ctx) {
    const { name, role } = ctx.user;
    const channels = ctx.server.service('channels')?.channelsOf(name) ?? [];
    return event('whoami', { user: name, role, channels, target: ctx.session.target ?? null });
  },
});
