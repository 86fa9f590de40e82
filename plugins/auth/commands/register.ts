import { defineCommand } from '../../../core/index.js';
import type { AuthCommands } from './index.js';
import { credentials } from './args.js';

export default ({ accounts }: AuthCommands) => defineCommand({
  name: 'register',
  usage: '/register [+token] <name> <password…>',
  summary: 'Create an account and log in (+token: also get a reconnect token)',
  access: 'anyone',
  minArgs: 2,
  async run(command) {
    const { name, secret, wantToken } = credentials(command.args, this.usage);
    await accounts.register(command, name, secret, wantToken);
  },
});
