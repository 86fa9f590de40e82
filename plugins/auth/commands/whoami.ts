import { defineCommand, event } from '../../../core/index.js';
import type { AuthCommands } from './index.js';

export default ({ ctx }: AuthCommands) => defineCommand({
  name: 'whoami',
  usage: '/whoami',
  summary: 'Who you are logged in as, your role, channels and current target',
  access: 'user',
  run(command) {
    const { name, role } = command.user;
    const channels = ctx.service('channels');
    return event('whoami', { user: name, role, channels: channels?.channelsOf(name) ?? [], target: channels?.targetOf(command.session) ?? null });
  },
});
