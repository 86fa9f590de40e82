import { defineCommand, event } from '../../../core/index.js';
import type { ChannelsCommands } from './index.js';

export default ({ state }: ChannelsCommands) => defineCommand({
  name: 'channels', aliases: ['list'], usage: '/channels', summary: 'List the channels (private ones only to their members)', access: 'user',
  run({ user }) {
    const list = [...state.channels.values()].filter((ch) => ch.visibleTo(user.name))
      .sort((a, b) => a.key.localeCompare(b.key)).map((ch) => ch.summary());
    return event('channels', { channels: list });
  },
});
