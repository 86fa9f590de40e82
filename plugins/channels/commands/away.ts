import { defineCommand } from '../../../core/index.js';
import type { ChannelCommand } from './types.js';

export const away: ChannelCommand = ({ chat, presence }) => defineCommand({
  name: 'away', usage: '/away [text…]', summary: 'Mark yourself away with a reason, or back without one', access: 'user',
  run({ args, session, user }) {
    const text = args.rest(0).trim();
    if (text !== '') chat.refuseMuted(user.name);
    return presence.away(session, user.name, text);
  },
});
