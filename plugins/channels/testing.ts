import { TestServer, type JsonEvent, type TestClient, type TestDatabaseKind } from '../../core/testing/index.js';

/** Test helpers for this plugin's TCP tests. */
export const PASSWORD = 'correct horse battery';

/** A server with auth, history and channels (options for channels and more plugins as given). */
export function startChat(db: TestDatabaseKind, channels: Record<string, unknown> = {}, more: Record<string, Record<string, unknown>> = {}): Promise<TestServer> {
  return TestServer.start({ db, plugins: { auth: {}, history: { flushIntervalMs: 10 }, channels, ...more } });
}

/** Register a user and wait until the login's auto-joins have arrived (the history after each join). */
export async function member(server: TestServer, name: string, channels = 1): Promise<TestClient> {
  const c = await server.user(name);
  for (let i = 0; i < channels; i++) await c.next('history');
  return c;
}

/** Log in to an existing account and wait for the auto-joins. */
export async function relogin(server: TestServer, name: string, channels = 1): Promise<TestClient> {
  const c = await server.login(name);
  for (let i = 0; i < channels; i++) await c.next('history');
  return c;
}

/** An account made without logging in (for offline users). */
export async function account(server: TestServer, name: string, role: 'user' | 'admin' = 'user'): Promise<void> {
  await server.server.service('auth')!.createUser(name, PASSWORD, role);
}

/** Whether a client got no event matching after a round trip (the server sent nothing of the kind). */
export async function nothing(c: TestClient, match: (e: JsonEvent) => boolean): Promise<boolean> {
  await c.sync();
  return !c.has(match);
}

/** A join reply (the joiner's own, with the member list), not another member arriving. */
export const full = (e: JsonEvent): boolean => e.members !== undefined;
