import { WhiskrError, defineCommand, event } from '../../../core/index.js';
import { findAccount, recordAudit } from './common.js';
import type { AdminCommands } from './index.js';

export default (deps: AdminCommands) => defineCommand({
  name: 'role', usage: '/role <user> admin|user', summary: "Change a user's role (open sessions too)", access: 'admin', minArgs: 2,
  async run(command) {
    const wanted = command.args.get(1)!.toLowerCase();
    if (wanted !== 'admin' && wanted !== 'user') throw new WhiskrError('BAD_ARGUMENTS', 'Usage: /role <user> admin|user');
    const auth = deps.ctx.use('auth');
    const account = await findAccount(deps, command.args.get(0)!);
    if (account.role === wanted) return event('ok', { command: 'role', text: `${account.name} is already ${wanted === 'admin' ? 'an admin' : 'a user'}.` });
    if (wanted === 'user' && (await auth.listUsers()).filter((u) => u.role === 'admin').length <= 1) {
      throw new WhiskrError('NOT_ALLOWED', `${account.name} is the last admin; make someone else admin first.`);
    }
    await auth.setRole(account.name, wanted);
    deps.ctx.delivery.toUser(account.name, event('notice', { from: 'server', text: `${command.user.name} made you ${wanted === 'admin' ? 'an admin' : 'a user'}.` }));
    await recordAudit(deps, command, 'role', account.name, '', `${account.role} -> ${wanted}`);
    return event('ok', { command: 'role', text: `${account.name} is now ${wanted === 'admin' ? 'an admin' : 'a user'}.` });
  },
});
