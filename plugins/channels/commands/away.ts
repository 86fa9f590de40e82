import { defineCommand } from '../../../core/index.js';
import type { ChannelsCommands } from './index.js';

export default ({ state, presence }: ChannelsCommands) => defineCommand({
  name: 'away', usage: '/away [text…]', summary: 'Mark yourself away with a reason, or back without one', access: 'user',
  run({ args, session, user }) {
    const text = args.rest(0).trim();
    if (text !== '') state.refuseMuted(user.name);
    return presence.away(session, user.name, text);
  },
});
