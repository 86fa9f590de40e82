import { defineCommand, event } from '../../../core/index.js';
import type { AuthCommands } from './index.js';

export default ({ accounts }: AuthCommands) => defineCommand({
  name: 'passwd',
  usage: '/passwd <old> <new…>',
  summary: 'Change your password (either may contain spaces); revokes every reconnect token of the account',
  access: 'user',
  minArgs: 2,
  async run(command) {
    await accounts.passwd(command.session, command.args.rest(0));
    return event('ok', { command: 'passwd', text: 'Password changed; reconnect tokens revoked.' });
  },
});
