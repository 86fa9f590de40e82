/** Shared by the admin plugin's tests: a server with auth (cheap hashing) and admin, and an admin client. */
import { TestServer, type TestClient, type TestDatabaseKind, type TestServerOptions } from '../../core/testing/index.js';
import '../auth/api.js';

export const PW = 'correct horse battery';

/** Options for a server with auth and admin, plus `extra` plugins loaded after them (channels, history). */
export function adminServerOptions(db: TestDatabaseKind, extra: Record<string, Record<string, unknown>> = {}, more: Partial<TestServerOptions> = {}): TestServerOptions {
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

/** Create an admin account and log a json client in with it. */
export async function adminClient(server: TestServer, name = 'root'): Promise<TestClient> {
  const auth = server.server.service('auth')!;
  if (!(await auth.findUser(name))) await auth.createUser(name, PW, 'admin');
  return server.login(name, PW);
}
