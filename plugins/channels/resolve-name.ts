import type { Session } from '../../core/index.js';
import type { Account } from '../auth/api.js';
import type { SeatedBot } from './api.js';

/** Who a name is: a bot, or a user (online or not) spelled as registered. */
export type NameOwner =
  | { kind: 'bot'; name: string; bot: SeatedBot }
  | {
    kind: 'user'; name: string; online: boolean;
    /** The user's open sessions (none when offline). */
    sessions: ReadonlySet<Session>;
    /** The account, when it was looked up: for an offline user always, for an online one when asked. */
    account?: Account;
  };

/** Where names are looked up; each plugin hands what it has. */
export interface NameSources {
  /** The bots there are (channels' bot directory, or the bot runner); none without them. */
  bots?: { get(name: string): SeatedBot | undefined };
  sessions: { of(name: string): ReadonlySet<Session> };
  /** The accounts (the auth service); without them, only online users are known. */
  accounts?: { findUser(name: string): Promise<Account | undefined> };
}

const NONE: ReadonlySet<Session> = new Set();

/** What is known without the database, in resolveName's order: a bot, then a user with an open session. */
export function resolveOnline(name: string, from: NameSources): NameOwner | undefined {
  const bot = from.bots?.get(name);
  if (bot) return { kind: 'bot', name: bot.name, bot };
  const sessions = from.sessions.of(name);
  for (const s of sessions) if (s.user) return { kind: 'user', name: s.user.name, online: true, sessions };
  return undefined;
}

/**
 * Who `name` (any case) is, always in this order: a bot (a bot shadows a user of its name, as DMs to the
 * name reach the bot), a user with an open session, a user's account, or nobody (undefined). An online
 * user's account is read only with `withAccount` (for role and last seen), so a DM to an online user
 * costs no database read.
 */
export async function resolveName(name: string, from: NameSources, opts: { withAccount?: boolean } = {}): Promise<NameOwner | undefined> {
  const known = resolveOnline(name, from);
  if (known && (known.kind === 'bot' || !opts.withAccount)) return known;
  const account = await from.accounts?.findUser(name);
  if (known) return { ...known, account };
  return account ? { kind: 'user', name: account.name, online: false, sessions: NONE, account } : undefined;
}
