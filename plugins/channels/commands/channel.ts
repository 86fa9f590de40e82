import { WhiskrError, defineCommand, event, type CommandContext, type ServerEvent } from '../../../core/index.js';
import { channelArg } from '../chat.js';
import type { ChannelCommand, Parts } from './types.js';

const USAGE = '/channel create <#name> [user…] | invite <#channel> <user> | delete <#channel>';
const usage = () => new WhiskrError('BAD_ARGUMENTS', `Usage: ${USAGE}`);

/** /channel create: a private channel with its creator and the listed users (and bots) as members. */
async function create({ chat, seats }: Parts, ctx: CommandContext): Promise<void> {
  const { args, session, user } = ctx;
  const name = channelArg(args.get(1));
  if (chat.config.creation === 'admins' && !chat.isAdmin(user)) throw new WhiskrError('NOT_ALLOWED', 'Only admins create channels here.');
  if (chat.find(name)) throw new WhiskrError('CHANNEL_EXISTS', `${name} already exists.`);
  chat.checkLimit(user.name);
  if (args.length > 2) chat.refuseMuted(user.name); // the people listed would see its name
  const listed = new Map<string, { name: string; bot: boolean }>();
  for (const raw of args.list.slice(2)) {
    const found = await chat.requireUser(raw);
    if (found.name.toLowerCase() !== user.name.toLowerCase()) listed.set(found.name.toLowerCase(), found);
  }
  await chat.mayCreate(user);
  const ch = await chat.create(name, true, user.name);
  await chat.addMember(ch, user.name);
  // Those listed are held to their own channel limit: the creator is told who was left out.
  const skipped: string[] = [];
  for (const m of [...listed.values()]) {
    if (m.bot) { await seats.invite(ch, m.name); continue; }
    if (chat.atLimit(m.name)) { skipped.push(m.name); listed.delete(m.name.toLowerCase()); continue; }
    await chat.addMember(ch, m.name, { checkLimit: false, announce: false });
  }
  session.data.target = ch.name;
  await chat.welcome(ch, user.name, { session, reply: (e) => ctx.reply(e) }, chat.ctx.sessions.of(user.name));
  for (const m of listed.values()) if (!m.bot) await chat.welcome(ch, m.name, undefined, chat.ctx.sessions.of(m.name));
  if (skipped.length > 0) {
    const max = chat.config.maxChannelsPerUser;
    ctx.send(event('notice', { from: 'server', text: `${skipped.join(', ')} ${skipped.length === 1 ? 'was' : 'were'} not added to ${ch.name}: ${skipped.length === 1 ? 'they are' : 'each is'} in ${max} channels, their limit.` }));
  }
}

/** /channel invite: a user is told (and, for a private channel, allowed in); a bot sits down. */
async function invite({ chat, seats }: Parts, ctx: CommandContext): Promise<ServerEvent> {
  const { args, user } = ctx;
  if (args.length < 3) throw usage();
  const ch = chat.joinedChannel(args.get(1)!, user.name);
  const who = await chat.requireUser(args.get(2)!);
  chat.refuseMuted(user.name);
  if (who.bot) {
    await seats.invite(ch, who.name);
    return event('ok', { command: 'channel', text: `${who.name} sits in ${ch.name} now.` });
  }
  if (ch.isJoined(who.name)) return event('ok', { command: 'channel', text: `${who.name} is in ${ch.name} already.` });
  if (ch.isPrivate) await chat.allow(ch, who.name);
  chat.ctx.delivery.toUser(who.name, event('invite', { channel: ch.name, by: user.name }));
  return event('ok', { command: 'channel', text: `${who.name} is invited to ${ch.name}.` });
}

/** /channel delete: by its owner or an admin; the members get a `part` saying so. */
async function remove({ chat }: Parts, ctx: CommandContext): Promise<ServerEvent> {
  const { args, user } = ctx;
  if (args.length < 2) throw usage();
  const admin = chat.isAdmin(user);
  const ch = admin ? chat.find(args.get(1)!) : chat.visible(args.get(1)!, user.name);
  if (!ch) throw new WhiskrError('NO_SUCH_CHANNEL', `There is no channel ${args.get(1)}.`);
  if (!admin && !ch.isOwner(user.name)) throw new WhiskrError('NOT_ALLOWED', `Only the owner of ${ch.name}${ch.owner ? ` (${ch.owner})` : ''} or an admin may delete it.`);
  await chat.deleteChannel(ch, user.name);
  return event('ok', { command: 'channel', text: `${ch.name} is deleted.` });
}

export const channel: ChannelCommand = (parts) => defineCommand({
  name: 'channel', usage: USAGE, summary: 'Create a private channel, invite someone to a channel, or delete one (owner or admin)', access: 'user', minArgs: 2,
  async run(ctx) {
    switch (ctx.args.get(0)!.toLowerCase()) {
      case 'create': return create(parts, ctx);
      case 'invite': return invite(parts, ctx);
      case 'delete': return remove(parts, ctx);
      default: throw usage();
    }
  },
});
