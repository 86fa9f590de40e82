import { defineCommand } from '../../../core/index.js';
import type { AuthCommands } from './index.js';
import { credentials } from './args.js';

export default ({ accounts }: AuthCommands) => defineCommand({
  name: 'login',
  usage: '/login [+token] <name> <password…>',
  summary: 'Log in (+token: also get a reconnect token for /resume)',
  access: 'anyone',
  minArgs: 2,
  async run(command) {
    const { name, secret, wantToken } = credentials(command.args, this.usage);
    await accounts.passwordLogin(command, name, secret, wantToken);
  },
});
