import { defineCommand } from '../../../core/index.js';
import type { ChannelCommand } from './types.js';

export const away: ChannelCommand = ({ presence }) => defineCommand({
  name: 'away', usage: '/away [text…]', summary: 'Mark yourself away with a reason, or back without one', access: 'user',
  run({ args, session, user }) {
    return presence.away(session, user.name, args.rest(0).trim());
  },
});
