import { WhiskrError, defineCommand, event, isoTime } from '../../../core/index.js';
import type { ChannelsCommands } from './index.js';
import { resolveName } from '../resolve-name.js';

export default ({ state, presence, seats }: ChannelsCommands) => defineCommand({
  name: 'whois', usage: '/whois <user>', summary: 'A user\'s status, role, last time seen and channels', access: 'user', minArgs: 1,
  async run({ args, user }) {
    const name = args.get(0)!;
    const visible = (list: { name: string; visibleTo(u: string): boolean }[]) => list.filter((c) => c.visibleTo(user.name)).map((c) => c.name);
    const owner = await resolveName(name, state.nameSources, { withAccount: true });
    if (owner?.kind === 'bot') {
      return event('whois', { user: owner.name, status: 'online', role: 'user', lastSeen: null, channels: visible(seats.channelsOf(owner.name)), bot: true, text: owner.bot.description });
    }
    const account = owner?.account;
    if (!account) throw new WhiskrError('NO_SUCH_USER', `There is no user ${name}.`);
    const presenceNow = presence.of(account.name);
    const online = presenceNow.status !== 'offline';
    const lastSeen = online ? isoTime(state.now()) : account.lastSeen === null ? null : isoTime(account.lastSeen);
    return event('whois', {
      user: account.name, status: presenceNow.status, role: account.role, lastSeen, channels: visible(state.joined(account.name)),
      ...(presenceNow.text !== undefined ? { text: presenceNow.text } : {}),
    });
  },
});
