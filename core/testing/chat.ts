import type { JsonEvent, TestClient } from './client.js';
import type { TestDatabaseKind } from './database.js';
import { PASSWORD, TestServer, type TestServerOptions } from './server.js';

type PluginOptions = Record<string, Record<string, unknown>>;

/**
 * The shipped plugins' accounts, by name as the config names them: the harness is part of the core, which
 * imports no plugin, so it reaches the auth service untyped.
 */
interface Accounts {
  findUser(name: string): Promise<unknown>;
  createUser(name: string, password: string, role: 'user' | 'admin'): Promise<unknown>;
}
const accounts = (server: TestServer): Accounts => (server.server.service as (name: string) => unknown)('auth') as Accounts;

/**
 * A server with auth, history (a short write window) and channels, each plugin's options over those, and
 * more plugins (`bots`, `admin`…) loaded after them.
 */
export function startChat(db: TestDatabaseKind, plugins: PluginOptions = {}, options: Partial<TestServerOptions> = {}): Promise<TestServer> {
  const { auth, history, channels, ...more } = plugins;
  return TestServer.start({
    db, ...options,
    plugins: { auth: { ...auth }, history: { flushIntervalMs: 10, ...history }, channels: { ...channels }, ...more },
  });
}

/** Register a user and wait until the login's auto-joins have arrived (the history after each join). */
export async function member(server: TestServer, name: string, channels = 1): Promise<TestClient> {
  const c = await server.user(name, PASSWORD);
  for (let i = 0; i < channels; i++) await c.next('history');
  return c;
}

/** Log in to an existing account and wait for the auto-joins. */
export async function relogin(server: TestServer, name: string, channels = 1): Promise<TestClient> {
  const c = await server.login(name, PASSWORD);
  for (let i = 0; i < channels; i++) await c.next('history');
  return c;
}

/** An account made without logging in (for offline users and admins). */
export async function account(server: TestServer, name: string, role: 'user' | 'admin' = 'user'): Promise<void> {
  await accounts(server).createUser(name, PASSWORD, role);
}

/** Options for a server with auth (cheap hashing) and admin, plus `extra` plugins loaded between them (channels, history) and after. */
export function adminServerOptions(db: TestDatabaseKind, extra: PluginOptions = {}, more: Partial<TestServerOptions> = {}): TestServerOptions {
  const { channels, history, ...rest } = extra;
  return {
    db,
    ...more,
    plugins: {
      auth: { scryptN: 1024 },
      ...(history ? { history } : {}),
      ...(channels ? { channels } : {}),
      admin: extra.admin ?? {},
      ...Object.fromEntries(Object.entries(rest).filter(([k]) => k !== 'admin')),
      ...more.plugins,
    },
  };
}

/** Create an admin account (unless it exists) and log a json client in with it. */
export async function adminClient(server: TestServer, name = 'root'): Promise<TestClient> {
  if (!(await accounts(server).findUser(name))) await account(server, name, 'admin');
  return server.login(name, PASSWORD);
}

/** Send a plain line to the current target and wait for its echo; returns the message. */
export function say(c: TestClient, text: string): Promise<JsonEvent> {
  return c.ok(text, 'message', (e) => e.text === text);
}
