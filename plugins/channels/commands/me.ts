import { defineCommand } from '../../../core/index.js';
import type { ChannelsCommands } from './index.js';

export default ({ messenger }: ChannelsCommands) => defineCommand({
  name: 'me', aliases: ['action'], usage: '/me <text…>', summary: 'Say what you do, to your current target ("* alice waves")', access: 'user', minArgs: 1,
  async run(ctx) {
    await messenger.say(ctx, ctx.session.data.target, ctx.args.rest(0), 'action');
  },
});
