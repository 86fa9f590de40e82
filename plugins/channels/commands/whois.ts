import { WhiskrError, defineCommand, event, isoTime } from '../../../core/index.js';
import type { ChannelCommand } from './types.js';

export const whois: ChannelCommand = ({ chat, presence, seats }) => defineCommand({
  name: 'whois', usage: '/whois <user>', summary: 'A user\'s status, role, last time seen and channels', access: 'user', minArgs: 1,
  async run({ args, user }) {
    const name = args.get(0)!;
    const visible = (list: { name: string; visibleTo(u: string): boolean }[]) => list.filter((c) => c.visibleTo(user.name)).map((c) => c.name);
    const bot = chat.bots.get(name);
    if (bot) {
      return event('whois', { user: bot.name, status: 'online', role: 'user', lastSeen: null, channels: visible(seats.channelsOf(bot.name)), bot: true, text: bot.description });
    }
    const account = await chat.ctx.service('auth')?.findUser(name);
    if (!account) throw new WhiskrError('NO_SUCH_USER', `There is no user ${name}.`);
    const p = presence.of(account.name);
    const online = p.status !== 'offline';
    const lastSeen = online ? isoTime(chat.now()) : account.lastSeen === null ? null : isoTime(account.lastSeen);
    return event('whois', {
      user: account.name, status: p.status, role: account.role, lastSeen, channels: visible(chat.joined(account.name)),
      ...(p.text !== undefined ? { text: p.text } : {}),
    });
  },
});
