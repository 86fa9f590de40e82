import { defineCommand, event } from '../../../core/index.js';
import type { AuthCommands } from './index.js';

export default ({ accounts }: AuthCommands) => defineCommand({
  name: 'logout',
  usage: '/logout',
  summary: "Log out (the connection stays open); revokes this session's reconnect token",
  access: 'user',
  async run(command) {
    const name = command.user.name;
    await accounts.logout(command.session);
    return event('ok', { command: 'logout', text: `Logged out ${name}.` });
  },
});
