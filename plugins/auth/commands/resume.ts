import { WhiskrError, defineCommand } from '../../../core/index.js';
import type { AuthCommands } from './index.js';
import { credentials } from './args.js';

export default ({ accounts }: AuthCommands) => defineCommand({
  name: 'resume',
  usage: '/resume [+token] <name> <token>',
  summary: 'Log in again with a reconnect token from /login +token (+token: swap it for a fresh one)',
  access: 'anyone',
  minArgs: 2,
  async run(command) {
    const { name, secret, wantToken } = credentials(command.args, this.usage);
    if (secret.includes(' ')) throw new WhiskrError('BAD_ARGUMENTS', `Usage: ${this.usage}`);
    await accounts.tokenLogin(command, name, secret, wantToken);
  },
});
