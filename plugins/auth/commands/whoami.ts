import { defineCommand, event } from '../../../core/index.js';
import type { AuthCommands } from './index.js';

export default ({ ctx: plugin }: AuthCommands) => defineCommand({
  name: 'whoami',
  usage: '/whoami',
  summary: 'Who you are logged in as, your role, channels and current target',
  access: 'user',
  run(ctx) {
    const { name, role } = ctx.user;
    const channels = plugin.service('channels');
    return event('whoami', { user: name, role, channels: channels?.channelsOf(name) ?? [], target: channels?.targetOf(ctx.session) ?? null });
  },
});
