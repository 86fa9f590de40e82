import { WhiskrError, defineCommand } from '../../../core/index.js';
import type { ChannelCommand } from './types.js';

export const part: ChannelCommand = ({ chat }) => defineCommand({
  name: 'part', aliases: ['leave'], usage: '/part [#channel] [text…]', summary: 'Leave a channel (the current one by default), with an optional goodbye', access: 'user',
  async run({ args, session, user }) {
    const named = args.get(0)?.startsWith('#') === true;
    const name = named ? args.get(0)! : session.data.target;
    if (!name?.startsWith('#')) throw new WhiskrError('NO_TARGET', 'Your current target is not a channel: /part #channel.');
    const ch = chat.joinedChannel(name, user.name);
    const text = args.rest(named ? 1 : 0);
    if (text.trim() !== '') chat.refuseMuted(user.name);
    return chat.removeMember(ch, user.name, text, session);
  },
});
