import { Worker } from 'node:worker_threads';
import type { ChatMessage, Knex, Logger } from '../../core/index.js';
import type { HistoryStore } from './store.js';

/** A write that failed in the writer thread, with the database's error code. */
export class WriterError extends Error {
  constructor(message: string, readonly code?: string) { super(message); this.name = 'WriterError'; }
}

type Reply = { type: 'ready' } | { type: 'closed' } | { type: 'done'; id: number; error?: { message: string; code?: string } };

/**
 * Writes batches into a SQLite file from a worker thread with its own connection: better-sqlite3 is
 * synchronous, and inserting a few hundred rows into three B-trees would otherwise hold the event loop
 * (about 15 µs per message on the project machine). WAL mode lets the main connection keep reading
 * meanwhile. The thread starts on the first write; if it dies, pending writes fail (the queue retries
 * them) and the next write starts a new one.
 */
export class SqliteWriterThread {
  private worker?: Worker;
  private ready?: Promise<void>;
  private readonly pending = new Map<number, { resolve(): void; reject(err: Error): void }>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly url: string, private readonly log: Logger) {}

  /** Whether the thread is up and taking writes. */
  get running(): boolean { return this.isReady; }
  private isReady = false;

  start(): Promise<void> {
    if (this.ready) return this.ready;
    const worker = new Worker(new URL('./writer-worker.mjs', import.meta.url), { workerData: { url: this.url } });
    worker.unref();
    this.worker = worker;
    const fail = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.isReady = false;
      this.ready = undefined;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: Reply) => {
        if (m.type === 'ready') { this.isReady = true; resolve(); }
        else if (m.type === 'done') {
          const p = this.pending.get(m.id);
          this.pending.delete(m.id);
          if (!p) return;
          if (m.error) p.reject(new WriterError(m.error.message, m.error.code)); else p.resolve();
        }
      });
      worker.on('error', (err) => { this.log.warn(`history writer thread failed: ${err.message}`); reject(err); fail(err); });
      worker.on('exit', (code) => { const err = new Error(`history writer thread exited (${code})`); reject(err); fail(err); });
    });
    return this.ready;
  }

  async write(batch: readonly ChatMessage[]): Promise<void> {
    if (this.closed) throw new Error('history writer thread is closed');
    await this.start();
    const worker = this.worker;
    if (!worker) throw new Error('history writer thread is not running');
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ type: 'write', id, batch });
    });
  }

  /** Close the thread's connection and end it (after the last flush). */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 5_000);
      worker.on('message', (m: Reply) => { if (m.type === 'closed') { clearTimeout(t); resolve(); } });
      worker.on('exit', () => { clearTimeout(t); resolve(); });
      worker.postMessage({ type: 'close' });
    });
    this.worker = undefined;
    await worker.terminate();
  }
}

/** The file of a SQLite database (undefined for MySQL or an in-memory database). */
export function sqliteFile(db: Knex): string | undefined {
  if (!/sqlite/.test(String(db.client.config.client))) return undefined;
  const file = (db.client.config.connection as { filename?: string } | undefined)?.filename;
  return file && file !== ':memory:' && !file.startsWith('file::memory:') ? file : undefined;
}

/**
 * Where the queue's batches go. MySQL, and SQLite while traffic is light: the store, on the main thread
 * (a small batch costs little). SQLite under load — the first time a full batch is waiting — also starts
 * the writer thread, and once it is up every batch goes there. The queue writes one batch at a time, so
 * switching over never reorders or overlaps writes.
 */
export class BatchWriter {
  private readonly thread?: SqliteWriterThread;
  private starting = false;

  constructor(private readonly store: HistoryStore, db: Knex, opts: { thread: boolean; fullBatch: number }, private readonly log: Logger) {
    const file = opts.thread ? sqliteFile(db) : undefined;
    if (file) this.thread = new SqliteWriterThread(`sqlite:${file}`, log);
    this.fullBatch = opts.fullBatch;
  }
  private readonly fullBatch: number;

  /** Whether batches currently go to the writer thread. */
  get threaded(): boolean { return this.thread?.running ?? false; }

  /** Start the writer thread now rather than at the first full batch (benchmarks, busy servers). */
  async startThread(): Promise<void> { await this.thread?.start(); }

  write(batch: readonly ChatMessage[]): Promise<void> {
    const thread = this.thread;
    if (thread?.running) return thread.write(batch);
    if (thread && !this.starting && batch.length >= this.fullBatch) {
      this.starting = true;
      thread.start().then(
        () => this.log.info('history: writing from a worker thread from now on (SQLite under load)'),
        (err) => { this.starting = false; this.log.warn(`history writer thread did not start; writing on the main thread: ${(err as Error).message}`); },
      );
    }
    return this.store.insert(batch);
  }

  close(): Promise<void> { return this.thread?.close() ?? Promise.resolve(); }
}
