import { adminClient, type TestClient, type TestServer } from '../../core/testing/index.js';
import { MESSAGES } from './migrations.js';

/** What only the history plugin's tests need; the rest of the harness is core/testing. */

/** An admin account logged in, once its auto-join's history has arrived. */
export async function admin(server: TestServer, name: string): Promise<TestClient> {
  const c = await adminClient(server, name);
  await c.next('history');
  return c;
}

/** Rows stored for a conversation key (after writing what is queued). */
export async function storedRows(server: TestServer, key?: string): Promise<{ id: string; text: string }[]> {
  await server.server.service('history')!.flush();
  const q = server.server.db(MESSAGES).select('id', 'text').orderBy('id');
  if (key !== undefined) q.where('target_key', key);
  return q;
}
