import type { TestProject } from 'vitest/node';
import { createConnection } from 'mysql2/promise';

declare module 'vitest' {
  export interface ProvidedContext { mysqlUrl: string }
}

/**
 * Finds the MySQL server for the storage tests once per run. In CI (WHISKR_REQUIRE_MYSQL=1) a missing
 * server fails the run; locally the MySQL variants are skipped with a visible message.
 */
export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.WHISKR_TEST_MYSQL_URL ?? 'mysql://whiskr_test:whiskr_test@127.0.0.1:3306/';
  try {
    const c = await createConnection({ uri: url, connectTimeout: 3000 });
    const [rows] = await c.query(`SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE 'whiskr\\_t\\_%'`);
    // Leftovers of runs that were killed: every test database of this run is created after this.
    // Only those of processes that are gone: other test runs on this machine may be using theirs right now.
    // And only those over an hour old: test runs in other containers (another pid namespace) may share this
    // MySQL server, and their processes are invisible from here.
    for (const r of rows as { name: string }[]) {
      const m = /^whiskr_t_(\d+)_([0-9a-z]+)_/.exec(r.name);
      if (processAlive(Number(m?.[1]))) continue;
      const created = m ? parseInt(m[2]!, 36) : NaN;
      if (Number.isFinite(created) && Date.now() - created < 3_600_000) continue;
      await c.query(`DROP DATABASE IF EXISTS \`${r.name}\``).catch(() => {});
    }
    await c.end();
    project.provide('mysqlUrl', url);
  } catch (err) {
    if (process.env.WHISKR_REQUIRE_MYSQL === '1') throw new Error(`MySQL is required (WHISKR_REQUIRE_MYSQL=1) but ${url} did not answer: ${(err as Error).message}`);
    console.warn(`\n*** MySQL tests are SKIPPED: ${url.replace(/:[^:@/]*@/, ':***@')} did not answer (${(err as Error).message}).\n*** Set WHISKR_TEST_MYSQL_URL, or see README "Running the tests".\n`);
    project.provide('mysqlUrl', '');
  }
}

/** Whether a process with this id runs (test databases are named after the process that made them). */
function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try { process.kill(pid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
}
