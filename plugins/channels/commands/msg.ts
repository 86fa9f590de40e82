import { defineCommand } from '../../../core/index.js';
import type { ChannelsCommands } from './index.js';

export default ({ messenger }: ChannelsCommands) => defineCommand({
  name: 'msg', aliases: ['m', 'privmsg'], usage: '/msg <#channel|user> <text…>', summary: 'Send a message to a channel you are in, or to a user (kept for them if they are offline)', access: 'user', minArgs: 2,
  async run(ctx) {
    await messenger.say(ctx, ctx.args.get(0), ctx.args.rest(1), 'message');
  },
});
