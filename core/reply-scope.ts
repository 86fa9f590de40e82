import { AsyncLocalStorage } from 'node:async_hooks';
import type { Session } from './session.js';

/**
 * What a reply scope does with the output its command writes to its own session: it returns what is
 * written instead ('' for nothing). Request labels tag each line; IRC's labeled-response wraps the lines.
 */
export interface ReplyFilter {
  write(data: string | Buffer): string | Buffer;
}

interface Scope { readonly session: Session; readonly filter: ReplyFilter; open: boolean }

/**
 * Which output is a command's reply, told apart from what reaches the same session meanwhile (another
 * user's message while the command waits for the database): the command runs in a scope that follows
 * its async calls (AsyncLocalStorage: what it awaits, the hooks it settles, the lines it has run for it),
 * and a write to the scope's session made from within it is the reply. A timer the command left behind
 * runs in the scope too, but the scope is closed by then: only what is written while the command runs counts.
 * Node turns its async hooks on at the first scope, so a server whose clients use no labels pays nothing.
 */
const scopes = new AsyncLocalStorage<Scope>();

export async function inReplyScope(session: Session, filter: ReplyFilter, run: () => Promise<void>): Promise<void> {
  const scope: Scope = { session, filter, open: true };
  session.replyScopes++;
  try {
    await scopes.run(scope, run);
  } finally {
    scope.open = false;
    session.replyScopes--;
  }
}

/** Output for `session` as it is to be written: through the filter when it is written from within the session's own scope. */
export function throughReplyScope(session: Session, data: string | Buffer): string | Buffer {
  const scope = scopes.getStore();
  return scope !== undefined && scope.open && scope.session === session ? scope.filter.write(data) : data;
}
