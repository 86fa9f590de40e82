import { defineCommand, event } from '../../../core/index.js';
import type { AuthCommands } from './index.js';

export default ({ accounts }: AuthCommands) => defineCommand({
  name: 'whoami',
  usage: '/whoami',
  summary: 'Who you are logged in as, your role, channels and current target',
  access: 'user',
  run(command) {
    const { name, role } = command.user;
    const where = accounts.whereabouts?.(name, command.session) ?? { channels: [], target: null };
    return event('whoami', { user: name, role, ...where });
  },
});
