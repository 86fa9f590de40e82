import type { BotsCommands } from './commands/index.js';

/** Whether a user is an admin (from their open sessions, else their account). */
export async function isAdmin(deps: BotsCommands, user: string): Promise<boolean> {
  for (const s of deps.sessions.of(user)) if (s.user?.role === 'admin') return true;
  const account = await deps.service('auth')?.findUser(user);
  return account?.role === 'admin';
}

/** Length in characters (code points), as limits are counted. */
export const length = (text: string): number => [...text].length;
