import { defineCommand, event } from '../../../core/index.js';
import type { ChannelsCommands } from './index.js';

export default ({ state }: ChannelsCommands) => defineCommand({
  name: 'switch', aliases: ['query'], usage: '/switch <#channel|user>', summary: 'Choose where your plain lines go: a channel you are in, or a user', access: 'user', minArgs: 1,
  async run({ args, session, user }) {
    const wanted = args.get(0)!;
    const target = wanted.startsWith('#') ? state.joinedChannel(wanted, user.name).name : (await state.requireUser(wanted)).name;
    session.data.target = target;
    return event('ok', { command: 'switch', text: `Your lines now go to ${target}.`, target });
  },
});
