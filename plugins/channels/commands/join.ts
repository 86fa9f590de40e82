import { WhiskrError, defineCommand } from '../../../core/index.js';
import { channelArg } from '../chat.js';
import type { ChannelCommand } from './types.js';

export const join: ChannelCommand = ({ chat }) => defineCommand({
  name: 'join', aliases: ['j'], usage: '/join <#channel>', summary: 'Join a channel (a public one is created when it does not exist) and make it current', access: 'user', minArgs: 1,
  async run(ctx) {
    const { args, session, user } = ctx;
    const name = channelArg(args.get(0));
    let ch = chat.find(name);
    if (ch && !ch.visibleTo(user.name)) throw new WhiskrError('NO_SUCH_CHANNEL', `There is no channel ${name}.`);
    if (!ch) {
      if (chat.config.creation === 'admins' && !chat.isAdmin(user)) throw new WhiskrError('NOT_ALLOWED', `There is no channel ${name}, and only admins create channels here.`);
      chat.checkLimit(user.name);
      chat.refuseMuted(user.name); // a new public channel's name is a text everyone sees in /channels
      await chat.mayCreate(user);
      ch = await chat.ensure(name, user.name);
    }
    const fresh = await chat.addMember(ch, user.name);
    session.data.target = ch.name;
    // The user's other sessions are in the channel too: they get the join when it is new to them.
    await chat.welcome(ch, user.name, { session, reply: (e) => ctx.reply(e) }, fresh ? chat.ctx.sessions.of(user.name) : []);
  },
});
