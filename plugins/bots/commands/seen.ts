import { clip, isValidUserName, nameKey, type ChatMessage } from '../../../core/index.js';
import { BotError, type BotCommand } from '../api.js';
import type { BotsCommands } from './index.js';
import { whoIs } from '../users.js';
import { formatSpan, formatTime } from '../when.js';

/**
 * `!seen bob`: here now (and away?), or when bob was last connected and what they last said. Their
 * last words are told (and that they spoke at all, and when) only from a channel the asker may read:
 * never a DM, never a private channel they are not in.
 */
export default (deps: BotsCommands): BotCommand => ({
  name: 'seen',
  usage: '!seen <user>',
  summary: 'when a user was last here, and their last words in a channel you can read',
  minArgs: 1,
  async run(call) {
    const name = call.args.get(0)!.replace(/^@/, '').replace(/[:,]$/, '');
    if (!isValidUserName(name)) throw new BotError(`"${clip(name, 40)}" is not a user name. Usage: ${call.usage}`);
    if (nameKey(name) === nameKey(call.from)) return `${call.from}: that's you — here now.`;
    const owner = await whoIs(deps, name, { withAccount: true });
    if (owner?.kind === 'bot') return `${owner.name} is a bot; it is here whenever its plugin is loaded.`;

    const now = deps.clock.now();
    const auth = deps.service('auth');
    const account = owner?.account;
    const shown = owner?.name ?? name;
    if (owner?.online) {
      const presence = deps.service('channels')?.presence(name);
      return presence?.status === 'away'
        ? `${shown} is here but away${presence.text ? `: ${clip(presence.text, 200)}` : '.'}`
        : `${shown} is here now.`;
    }

    let last: ChatMessage | undefined;
    try {
      last = await deps.service('history')?.lastFrom(name);
    } catch (err) {
      deps.log.warn(`!seen: history lookup for ${name} failed: ${(err as Error).message}`);
    }
    // Activity where the asker cannot read (a DM, a private channel they are not in) is not told, nor when.
    if (last && !(last.channel !== undefined && (await canRead(deps, call.from, last.channel)))) last = undefined;
    if (!account && !last) {
      return auth ? `I don't know anyone called ${name}.` : `I haven't seen ${name}.`;
    }
    const parts: string[] = [];
    const seenAt = account?.lastSeen ?? null;
    if (seenAt !== null) parts.push(`${shown} was last here ${ago(seenAt, now)} (${formatTime(seenAt, now, deps.config.remind.timeZone)}).`);
    else parts.push(`${shown} has not been here${last ? ' since I started keeping track' : ' yet'}.`);
    if (last) parts.push(`Last words, in ${last.channel} ${ago(Date.parse(last.ts), now)}: “${clip(last.text, 200)}”`);
    return parts.join(' ');
  },
});

function ago(t: number, now: number): string {
  return now - t < 1000 ? 'just now' : `${formatSpan(now - t)} ago`;
}

async function canRead(deps: BotsCommands, user: string, channel: string): Promise<boolean> {
  const channels = deps.service('channels');
  if (!channels) return false;
  try { return await channels.canRead(user, channel); } catch { return false; }
}
