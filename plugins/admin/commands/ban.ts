import { defineCommand, event } from '../../../core/index.js';
import { isoOrNull, type Admin } from '../admin.js';
import { readableTime } from '../text.js';

export const ban = (a: Admin) => defineCommand({
  name: 'ban', usage: '/ban <user> [duration] [text…]', summary: 'Ban a user (30s, 10m, 2h, 7d; none: permanent) and close their sessions', access: 'admin', minArgs: 1,
  async run(c) {
    const account = await a.account(c.args.get(0)!);
    a.notSelf(c, account, 'ban');
    const { ms, text } = a.durationAndText(c.args, 1);
    const now = a.now();
    const until = ms === null ? null : now + ms;
    await a.ban({ user: account.name, by: c.user.name, text, until, created: now });
    const n = a.ctx.sessions.disconnectUser(account.name, event('banned', { by: c.user.name, text, until: isoOrNull(until) }), 'banned');
    const span = until === null ? 'permanently' : `until ${readableTime(until)}`;
    await a.audit(c, 'ban', account.name, text, until === null ? 'permanent' : `${c.args.get(1)}, until ${readableTime(until)}`);
    return event('ok', { command: 'ban', text: `Banned ${account.name} ${span}${n ? ` (${n} session${n === 1 ? '' : 's'} closed)` : ''}.` });
  },
});
