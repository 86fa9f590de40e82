import { WhiskrError, nameKey, parseDuration, type CommandArgs, type CommandContext } from '../../../core/index.js';
import type { Account } from '../../auth/api.js';
import type { AdminCommands } from './index.js';

/** Longest duration a ban or mute takes; longer is meant as "until lifted". */
const MAX_DURATION = 10 * 366 * 86_400_000;

/** The account named, or NO_SUCH_USER. */
export async function findAccount({ ctx }: AdminCommands, name: string): Promise<Account> {
  const account = await ctx.use('auth').findUser(name);
  if (!account) throw new WhiskrError('NO_SUCH_USER', `There is no user ${name}.`);
  return account;
}

/** Refuse acting on yourself where it would lock you out. */
export function refuseSelf(command: CommandContext, account: Account, what: string): void {
  if (nameKey(account.name) === nameKey(command.user.name)) throw new WhiskrError('NOT_ALLOWED', `You cannot ${what} yourself.`);
}

/** A reason text, trimmed; BAD_ARGUMENTS when longer than maxTextLength. */
export function checkTextLength({ ctx }: AdminCommands, text: string): string {
  const trimmed = text.trim();
  const max = ctx.config.maxTextLength;
  if (trimmed.length > max) throw new WhiskrError('BAD_ARGUMENTS', `That text is too long (${trimmed.length} characters; at most ${max}).`);
  return trimmed;
}

/**
 * `[duration] [text…]` from argument i on. An argument there that starts with a digit must be a
 * duration (30s, 10m, 2h, 7d, 1w), so a typo never becomes a permanent ban with a strange reason.
 */
export function durationAndText(deps: AdminCommands, args: CommandArgs, i: number): { ms: number | null; text: string } {
  const first = args.get(i);
  if (first !== undefined && /^\d/.test(first)) {
    const ms = parseDuration(first);
    if (ms === undefined || ms <= 0) throw new WhiskrError('BAD_ARGUMENTS', `${first} is not a duration: write it like 30s, 10m, 2h or 7d (none means permanent).`);
    if (ms > MAX_DURATION) throw new WhiskrError('BAD_ARGUMENTS', `${first} is more than 10 years; leave the duration out for a permanent one.`);
    return { ms, text: checkTextLength(deps, args.rest(i + 1)) };
  }
  return { ms: null, text: checkTextLength(deps, args.rest(i)) };
}

/** Write the audit row of an admin action. */
export async function recordAudit({ ctx, store }: AdminCommands, command: CommandContext, action: string, target: string | null, text = '', detail = ''): Promise<void> {
  await store.audit({ at: ctx.clock.now(), by: command.user.name, address: command.session.address, action, target, text, detail });
}
