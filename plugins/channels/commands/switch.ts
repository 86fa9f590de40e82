import { defineCommand, event } from '../../../core/index.js';
import type { ChannelCommand } from './types.js';

export const switchTarget: ChannelCommand = ({ chat }) => defineCommand({
  name: 'switch', aliases: ['query'], usage: '/switch <#channel|user>', summary: 'Choose where your plain lines go: a channel you are in, or a user', access: 'user', minArgs: 1,
  async run({ args, session, user }) {
    const wanted = args.get(0)!;
    const target = wanted.startsWith('#') ? chat.joinedChannel(wanted, user.name).name : (await chat.requireUser(wanted)).name;
    session.data.target = target;
    return event('ok', { command: 'switch', text: `Your lines now go to ${target}.`, target });
  },
});
