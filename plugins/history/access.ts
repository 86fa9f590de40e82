import { WhiskrError, isValidUserName, nameKey, type PluginContext, type SessionUser } from '../../core/index.js';
import type { HistoryTarget } from './api.js';
import { isValidChannelName, resolveName } from '../channels/api.js';
import type { HistoryConfig } from './config.js';

export interface ResolvedTarget {
  /** The name shown in the `history` event: the channel as created, or the other user as registered. */
  label: string;
  target: HistoryTarget;
}

/**
 * Which conversation `name` means for `user`, and whether the user may read it: a channel (public: anyone;
 * private: its members, asked of the channels plugin, and to anyone else it does not exist; admins: any),
 * or a user name, meaning the direct messages between the two of them, which only they can ask for.
 */
export async function resolveTarget(ctx: PluginContext<HistoryConfig>, user: SessionUser, name: string): Promise<ResolvedTarget> {
  const channels = ctx.service('channels');
  if (name.startsWith('#')) {
    if (!isValidChannelName(name)) throw new WhiskrError('NO_SUCH_CHANNEL', `${name} is not a channel name.`);
    const shown = channels?.channelName(name);
    if (channels && shown === undefined) throw new WhiskrError('NO_SUCH_CHANNEL', `There is no channel ${name}.`);
    const label = shown ?? name;
    if (user.role === 'admin') return { label, target: { channel: label } };
    if (!channels) throw new WhiskrError('NOT_ALLOWED', 'Channel history is for admins on this server (no channels plugin).');
    // A private channel's existence is not revealed to non-members, as /join does.
    if (!(await channels.canRead(user.name, label))) throw new WhiskrError('NO_SUCH_CHANNEL', `There is no channel ${name}.`);
    return { label, target: { channel: label } };
  }
  const bare = name.startsWith('@') ? name.slice(1) : name;
  if (!isValidUserName(bare)) throw new WhiskrError('NO_SUCH_USER', `${name} is not a user name.`);
  const owner = channels
    ? await channels.resolveName(bare)
    : await resolveName(bare, { sessions: ctx.sessions, accounts: ctx.service('auth') });
  // Without accounts to ask (no auth plugin), a name nobody has is taken as given.
  if (!owner && ctx.service('auth')) throw new WhiskrError('NO_SUCH_USER', `There is no user ${bare}.`);
  const label = owner?.name ?? bare;
  if (channels && nameKey(label) !== nameKey(user.name) && !(await channels.canRead(user.name, label))) {
    throw new WhiskrError('NOT_ALLOWED', `You cannot read the conversation with ${label}.`);
  }
  return { label, target: { between: [user.name, label] } };
}
