import { WhiskrError, defineCommand } from '../../../core/index.js';
import type { ChannelsCommands } from './index.js';

export default ({ state }: ChannelsCommands) => defineCommand({
  name: 'part', aliases: ['leave'], usage: '/part [#channel] [text…]', summary: 'Leave a channel (the current one by default), with an optional goodbye', access: 'user',
  async run({ args, session, user }) {
    const named = args.get(0)?.startsWith('#') === true;
    const name = named ? args.get(0)! : session.data.target;
    if (!name?.startsWith('#')) throw new WhiskrError('NO_TARGET', 'Your current target is not a channel: /part #channel.');
    const ch = state.joinedChannel(name, user.name);
    const text = args.rest(named ? 1 : 0);
    if (text.trim() !== '') state.refuseMuted(user.name);
    return state.removeMember(ch, user.name, text, session);
  },
});
