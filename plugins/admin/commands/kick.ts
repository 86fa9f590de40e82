import { WhiskrError, defineCommand, event, plural } from '../../../core/index.js';
import { checkTextLength, findAccount, recordAudit, refuseSelf } from './common.js';
import type { AdminCommands } from './index.js';

export default (deps: AdminCommands) => defineCommand({
  name: 'kick', usage: '/kick <user> [text…]', summary: 'Disconnect every session of a user (they may log in again)', access: 'admin', minArgs: 1,
  async run(command) {
    const account = await findAccount(deps, command.args.get(0)!);
    refuseSelf(command, account, 'kick');
    const text = checkTextLength(deps, command.args.rest(1));
    const n = deps.ctx.sessions.disconnectUser(account.name, event('kicked', { by: command.user.name, text }), 'kicked');
    if (n === 0) throw new WhiskrError('NO_SUCH_USER', `${account.name} is not online.`);
    await recordAudit(deps, command, 'kick', account.name, text, plural(n, 'session'));
    return event('ok', { command: 'kick', text: `Kicked ${account.name} (${plural(n, 'session')} closed).` });
  },
});
