import { defineCommand, event } from '../../../core/index.js';
import { WhiskrError } from '../../../core/index.js';
import type { Admin } from '../admin.js';

export const kick = (a: Admin) => defineCommand({
  name: 'kick', usage: '/kick <user> [text…]', summary: 'Disconnect every session of a user (they may log in again)', access: 'admin', minArgs: 1,
  async run(c) {
    const account = await a.account(c.args.get(0)!);
    a.notSelf(c, account, 'kick');
    const text = a.text(c.args.rest(1));
    const n = a.ctx.sessions.disconnectUser(account.name, event('kicked', { by: c.user.name, text }), 'kicked');
    if (n === 0) throw new WhiskrError('NO_SUCH_USER', `${account.name} is not online.`);
    await a.audit(c, 'kick', account.name, text, `${n} session${n === 1 ? '' : 's'}`);
    return event('ok', { command: 'kick', text: `Kicked ${account.name} (${n} session${n === 1 ? '' : 's'} closed).` });
  },
});
