import { WhiskrError, defineCommand } from '../../../core/index.js';
import { channelArg } from '../names.js';
import type { ChannelsCommands } from './index.js';

export default ({ state }: ChannelsCommands) => defineCommand({
  name: 'join', aliases: ['j'], usage: '/join <#channel>', summary: 'Join a channel (a public one is created when it does not exist) and make it current', access: 'user', minArgs: 1,
  async run(ctx) {
    const { args, session, user } = ctx;
    const name = channelArg(args.get(0));
    let ch = state.find(name);
    if (ch && !ch.visibleTo(user.name)) throw new WhiskrError('NO_SUCH_CHANNEL', `There is no channel ${name}.`);
    if (!ch) {
      if (state.config.creation === 'admins' && !state.isAdmin(user)) throw new WhiskrError('NOT_ALLOWED', `There is no channel ${name}, and only admins create channels here.`);
      state.checkLimit(user.name);
      state.refuseMuted(user.name); // a new public channel's name is a text everyone sees in /channels
      await state.mayCreate(user);
      ch = await state.ensure(name, user.name);
      // A cluster: another node may have just made it, private.
      if (!ch.visibleTo(user.name)) throw new WhiskrError('NO_SUCH_CHANNEL', `There is no channel ${name}.`);
    }
    const fresh = await state.addMember(ch, user.name);
    session.data.target = ch.name;
    // The user's other sessions are in the channel too: they get the join when it is new to them.
    await state.welcome(ch, user.name, { session, reply: (e) => ctx.reply(e) }, fresh ? state.ctx.sessions.of(user.name) : []);
  },
});
