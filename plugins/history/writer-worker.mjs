// The history writer thread (SQLite only): batches arrive from the main thread and are written with the
// plugin's own store, through its own connection, so SQLite's synchronous work happens off the event loop.
// Plain JavaScript so that it starts the same way under `whiskr serve` and under the tests; it loads the
// TypeScript sources through tsx itself.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { openDatabase } = await import('../../core/index.ts');
const { HistoryStore } = await import('./store.ts');
const db = openDatabase(workerData.url);
const store = new HistoryStore(db);

parentPort.on('message', async (msg) => {
  if (msg.type === 'close') {
    await db.destroy().catch(() => {});
    parentPort.postMessage({ type: 'closed' });
    return;
  }
  try {
    await store.insert(msg.batch);
    parentPort.postMessage({ type: 'done', id: msg.id });
  } catch (err) {
    parentPort.postMessage({ type: 'done', id: msg.id, error: { message: String(err?.message ?? err), code: err?.code } });
  }
});
parentPort.postMessage({ type: 'ready' });
