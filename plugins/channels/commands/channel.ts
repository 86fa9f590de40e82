import { WhiskrError, defineCommand, event, nameKey, type CommandContext, type ServerEvent } from '../../../core/index.js';
import { channelArg } from '../names.js';
import type { ChannelsCommands } from './index.js';
import type { NameOwner } from '../resolve-name.js';

const USAGE = '/channel create <#name> [user…] | invite <#channel> <user> | delete <#channel>';
const usage = () => new WhiskrError('BAD_ARGUMENTS', `Usage: ${USAGE}`);

/** /channel create: a private channel with its creator and the listed users (and bots) as members. */
async function create({ state, seats }: ChannelsCommands, ctx: CommandContext): Promise<void> {
  const { args, session, user } = ctx;
  const name = channelArg(args.get(1));
  if (state.config.creation === 'admins' && !state.isAdmin(user)) throw new WhiskrError('NOT_ALLOWED', 'Only admins create channels here.');
  if (state.find(name)) throw new WhiskrError('CHANNEL_EXISTS', `${name} already exists.`);
  state.checkLimit(user.name);
  if (args.length > 2) state.refuseMuted(user.name); // the people listed would see its name
  const listed = new Map<string, NameOwner>();
  for (const raw of args.list.slice(2)) {
    const found = await state.requireUser(raw);
    if (nameKey(found.name) !== nameKey(user.name)) listed.set(nameKey(found.name), found);
  }
  await state.mayCreate(user);
  const ch = await state.create(name, true, user.name);
  await state.addMember(ch, user.name);
  // Those listed are held to their own channel limit: the creator is told who was left out.
  const skipped: string[] = [];
  for (const m of [...listed.values()]) {
    if (m.kind === 'bot') { await seats.invite(ch, m.name); continue; }
    if (state.atLimit(m.name)) { skipped.push(m.name); listed.delete(nameKey(m.name)); continue; }
    await state.addMember(ch, m.name, { checkLimit: false, announce: false });
  }
  session.data.target = ch.name;
  await state.welcome(ch, user.name, { session, reply: (e) => ctx.reply(e) }, state.ctx.sessions.of(user.name));
  for (const m of listed.values()) if (m.kind === 'user') await state.welcome(ch, m.name, undefined, state.ctx.sessions.of(m.name));
  if (skipped.length > 0) {
    const max = state.config.maxChannelsPerUser;
    ctx.send(event('notice', { from: 'server', text: `${skipped.join(', ')} ${skipped.length === 1 ? 'was' : 'were'} not added to ${ch.name}: ${skipped.length === 1 ? 'they are' : 'each is'} in ${max} channels, their limit.` }));
  }
}

/** /channel invite: a user is told (and, for a private channel, allowed in); a bot sits down. */
async function invite({ state, seats }: ChannelsCommands, ctx: CommandContext): Promise<ServerEvent> {
  const { args, user } = ctx;
  if (args.length < 3) throw usage();
  const ch = state.joinedChannel(args.get(1)!, user.name);
  const who = await state.requireUser(args.get(2)!);
  state.refuseMuted(user.name);
  if (who.kind === 'bot') {
    await seats.invite(ch, who.name);
    return event('ok', { command: 'channel', text: `${who.name} sits in ${ch.name} now.` });
  }
  if (ch.isJoined(who.name)) return event('ok', { command: 'channel', text: `${who.name} is in ${ch.name} already.` });
  if (ch.isPrivate) await state.allow(ch, who.name);
  state.ctx.delivery.toUser(who.name, event('invite', { channel: ch.name, by: user.name }));
  state.ctx.emit('channel.invited', { channel: ch.name, user: who.name, by: user.name });
  return event('ok', { command: 'channel', text: `${who.name} is invited to ${ch.name}.` });
}

/** /channel delete: by its owner or an admin; the members get a `part` saying so. */
async function remove({ state }: ChannelsCommands, ctx: CommandContext): Promise<ServerEvent> {
  const { args, user } = ctx;
  if (args.length < 2) throw usage();
  const admin = state.isAdmin(user);
  const ch = admin ? state.find(args.get(1)!) : state.visible(args.get(1)!, user.name);
  if (!ch) throw new WhiskrError('NO_SUCH_CHANNEL', `There is no channel ${args.get(1)}.`);
  if (!admin && !ch.isOwner(user.name)) throw new WhiskrError('NOT_ALLOWED', `Only the owner of ${ch.name}${ch.owner ? ` (${ch.owner})` : ''} or an admin may delete it.`);
  await state.deleteChannel(ch, user.name);
  return event('ok', { command: 'channel', text: `${ch.name} is deleted.` });
}

export default (deps: ChannelsCommands) => defineCommand({
  name: 'channel', usage: USAGE, summary: 'Create a private channel, invite someone to a channel, or delete one (owner or admin)', access: 'user', minArgs: 2,
  async run(ctx) {
    switch (ctx.args.get(0)!.toLowerCase()) {
      case 'create': return create(deps, ctx);
      case 'invite': return invite(deps, ctx);
      case 'delete': return remove(deps, ctx);
      default: throw usage();
    }
  },
});
