/** For the admin plugin's real-process tests (and the operator console's): a prepared database and config. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PASSWORD, TestServer, createTestDatabase, type TestDatabaseKind } from '../../core/testing/index.js';
import '../auth/api.js';

export const PLUGINS = { auth: { scryptN: 1024 }, history: {}, channels: {}, admin: {} };

/**
 * A folder with a config file, and a database (a SQLite file in the folder, or a fresh MySQL database)
 * holding the admin account `root`. `drop` removes a MySQL database.
 */
export async function prepare(kind: TestDatabaseKind = 'sqlite'): Promise<{ dir: string; configFile: string; drop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'whiskr-admin-proc-'));
  const mysql = kind === 'mysql' ? await createTestDatabase('mysql') : undefined;
  const url = mysql?.url ?? `sqlite:${join(dir, 'whiskr.sqlite')}`;
  const setup = await TestServer.start({ databaseUrl: url, plugins: PLUGINS });
  await setup.server.service('auth')!.createUser('root', PASSWORD, 'admin');
  await setup.stop({ keepDatabase: true });
  const configFile = join(dir, 'whiskr.json');
  writeFileSync(configFile, JSON.stringify({ database: { url }, log: { level: 'info' }, plugins: PLUGINS }));
  return { dir, configFile, drop: mysql?.drop ?? (async () => {}) };
}
