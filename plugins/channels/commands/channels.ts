import { defineCommand, event } from '../../../core/index.js';
import type { ChannelCommand } from './types.js';

export const channels: ChannelCommand = ({ chat }) => defineCommand({
  name: 'channels', aliases: ['list'], usage: '/channels', summary: 'List the channels (private ones only to their members)', access: 'user',
  run({ user }) {
    const list = [...chat.channels.values()].filter((ch) => ch.visibleTo(user.name))
      .sort((a, b) => a.key.localeCompare(b.key)).map((ch) => ch.summary());
    return event('channels', { channels: list });
  },
});
