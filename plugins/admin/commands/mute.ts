import { defineCommand, event } from '../../../core/index.js';
import type { Admin } from '../admin.js';
import { readableTime } from '../text.js';

export const mute = (a: Admin) => defineCommand({
  name: 'mute', usage: '/mute <user> [duration] [text…]', summary: "Refuse a user's messages (MUTED) for a while, or until /unmute", access: 'admin', minArgs: 1,
  async run(c) {
    const account = await a.account(c.args.get(0)!);
    a.notSelf(c, account, 'mute');
    const { ms, text } = a.durationAndText(c.args, 1);
    const now = a.now();
    const until = ms === null ? null : now + ms;
    await a.mute({ user: account.name, by: c.user.name, text, until, created: now });
    const span = until === null ? 'until unmuted' : `until ${readableTime(until)}`;
    a.ctx.delivery.toUser(account.name, event('notice', { from: 'server', text: `You were muted by ${c.user.name} ${span}${text ? `: ${text}` : '.'}` }));
    await a.audit(c, 'mute', account.name, text, until === null ? 'until unmuted' : `${c.args.get(1)}, until ${readableTime(until)}`);
    return event('ok', { command: 'mute', text: `Muted ${account.name} ${span}.` });
  },
});
