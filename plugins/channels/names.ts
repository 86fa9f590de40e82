import { WhiskrError } from '../../core/index.js';

const CHANNEL = /^#[A-Za-z0-9_.-]{1,49}$/;

/** Channel names: `#` then 1–49 letters, digits, `_`, `-` or `.` (compared with nameKey, as user names are). */
export function isValidChannelName(name: string): boolean { return CHANNEL.test(name); }

/** Channel names are `#` then 1–49 letters, digits, `_`, `-`, `.`; `general` is taken as `#general`. */
export function channelArg(raw: string | undefined): string {
  const name = raw?.startsWith('#') ? raw : `#${raw ?? ''}`;
  if (!isValidChannelName(name)) throw new WhiskrError('INVALID_NAME', `${JSON.stringify(raw ?? '')} is not a channel name: # then 1–49 letters, digits, _ - or .`);
  return name;
}

export const noSuchChannel = (name: string) => new WhiskrError('NO_SUCH_CHANNEL', `There is no channel ${name}.`);
