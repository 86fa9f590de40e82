import { resolveName, type NameOwner } from '../channels/api.js';
import type { BotsCommands } from './commands/index.js';

/** Who a name is (see resolveName): the bots of the runner, the open sessions, the accounts. */
export function whoIs(deps: BotsCommands, name: string, opts?: { withAccount?: boolean }): Promise<NameOwner | undefined> {
  return resolveName(name, { bots: deps.bots, sessions: deps.sessions, accounts: deps.service('auth') }, opts);
}

/** Whether a user is an admin (from their open sessions, else their account). */
export async function isAdmin(deps: BotsCommands, user: string): Promise<boolean> {
  const owner = await whoIs(deps, user, { withAccount: true });
  if (owner?.kind !== 'user') return false;
  for (const s of owner.sessions) if (s.user?.role === 'admin') return true;
  return owner.account?.role === 'admin';
}
