import { inject } from 'vitest';
import { createConnection } from 'mysql2/promise';

export type TestDatabaseKind = 'sqlite' | 'mysql';

let counter = 0;

/** The MySQL server url the suite may use ('' when MySQL tests are skipped), from the global setup. */
export function mysqlBaseUrl(): string {
  return inject('mysqlUrl') ?? '';
}

export const mysqlAvailable = (): boolean => mysqlBaseUrl() !== '';

/** A fresh, empty database of the given kind; `drop` removes it. */
export async function createTestDatabase(kind: TestDatabaseKind): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === 'sqlite') return { url: 'sqlite::memory:', drop: async () => {} };
  const base = mysqlBaseUrl();
  if (!base) throw new Error('MySQL is not available for tests');
  const name = `whiskr_t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = await createConnection(base);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = await createConnection(base);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

/** The kinds of database to run storage tests on: SQLite always, MySQL when the suite has it. */
export function databaseKinds(): TestDatabaseKind[] {
  return mysqlAvailable() ? ['sqlite', 'mysql'] : ['sqlite'];
}
