import type { JsonEvent, TestClient } from './client.js';
import type { TestServer } from './server.js';

/**
 * Wait, with a bound, for a condition no event announces (sessions, queues, rows): it polls on the event
 * loop rather than sleeping a fixed time, so the test goes on the moment the condition holds. Returns the
 * condition's value.
 */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeout = 10_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Whether a client got no event matching after a round trip (the server sent nothing of the kind). */
export async function nothing(c: TestClient, match: (e: JsonEvent) => boolean): Promise<boolean> {
  await c.sync();
  return !c.has(match);
}

/** Wait until no query of any plugin is running or waiting (before the database is taken away). */
export async function databaseIdle(server: TestServer): Promise<void> {
  const pool = (server.server.db.client as { pool?: { numUsed(): number; numPendingAcquires(): number; numPendingCreates(): number } }).pool;
  await eventually(() => !pool || (pool.numUsed() === 0 && pool.numPendingAcquires() === 0 && pool.numPendingCreates() === 0), 'the database to be idle');
}
