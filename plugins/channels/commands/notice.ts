import { defineCommand } from '../../../core/index.js';
import type { ChannelsCommands } from './index.js';

export default ({ messenger }: ChannelsCommands) => defineCommand({
  name: 'notice', usage: '/notice <#channel|user> <text…>', summary: 'Send a notice (a message nobody answers automatically: bots do not) to a channel you are in, or to a user', access: 'user', minArgs: 2,
  async run(ctx) {
    await messenger.say(ctx, ctx.args.get(0), ctx.args.rest(1), 'notice');
  },
});
