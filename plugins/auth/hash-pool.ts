import { scrypt, type ScryptOptions } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * scrypt off the event loop, at the lowest CPU priority. Each hashing thread is a worker that lowers its
 * own scheduling priority (nice 19: on Linux a thread's priority is its own), so a burst of logins takes
 * only the CPU that chat leaves idle, rather than competing with the event loop for it; on an idle machine
 * it still gets whole cores. Jobs queue in order; the queue is bounded by the sessions (one line at a time
 * each). Where a worker cannot run, hashing falls back to libuv's thread pool at normal priority.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
try { require('node:os').setPriority(19); } catch {}
parentPort.on('message', (job) => {
  try {
    const key = scryptSync(job.password, job.salt, job.keyLength, job.options);
    parentPort.postMessage({ id: job.id, key });
  } catch (err) {
    parentPort.postMessage({ id: job.id, error: String(err && err.message || err) });
  }
});
`;

interface Job {
  id: number;
  password: string;
  salt: Buffer;
  keyLength: number;
  options: ScryptOptions;
  resolve(key: Buffer): void;
  reject(err: Error): void;
}

interface Thread { worker: Worker; job?: Job }

export function defaultConcurrency(): number { return Math.max(1, availableParallelism() - 1); }

export class HashPool {
  private readonly threads: Thread[] = [];
  /** Workers' exits (pending while they run). */
  private readonly exits = new Set<Promise<void>>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closing = false;
  /** Workers could not be started here: hash on libuv's pool instead. */
  private fallback = false;

  /** `size` hashes at once (0: one less than the CPU cores, at least one). */
  constructor(size: number) {
    this.size = size > 0 ? size : defaultConcurrency();
  }

  private readonly size: number;

  derive(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
    if (this.fallback) return deriveOnLibuv(password, salt, keyLength, options);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, password, salt, keyLength, options, resolve, reject });
      this.pump();
    });
  }

  /**
   * Start the first thread now rather than at the first login: a worker is a whole V8 instance
   * (about 10 MB), better paid at start-up than in the middle of a burst of logins. The others start
   * as hashes need them.
   */
  warm(): void {
    if (this.threads.length === 0 && !this.fallback && !this.closing) this.spawn();
  }

  /** Hashes waiting for a thread. */
  get waiting(): number { return this.queue.length; }

  /**
   * Stop the workers once the queued hashes are done (a plugin reload replaces the pool); resolves when
   * they have exited. A hash asked for later still gets a worker, stopped again once idle.
   */
  close(): Promise<void> {
    this.closing = true;
    this.stopIdle();
    return Promise.all(this.exits).then(() => {});
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const thread = this.threads.find((t) => !t.job) ?? (this.threads.length < this.size ? this.spawn() : undefined);
      if (!thread) return;
      const job = this.queue.shift()!;
      thread.job = job;
      thread.worker.ref(); // a hash in flight keeps the process alive (a CLI command awaits it)
      thread.worker.postMessage({ id: job.id, password: job.password, salt: job.salt, keyLength: job.keyLength, options: job.options });
    }
  }

  private spawn(): Thread | undefined {
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, stdout: false, stderr: false });
    } catch {
      this.fallback = true;
      for (const job of this.queue.splice(0)) deriveOnLibuv(job.password, job.salt, job.keyLength, job.options).then(job.resolve, job.reject);
      return undefined;
    }
    worker.unref(); // an idle pool does not keep a CLI command (or a test) alive
    const thread: Thread = { worker };
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    this.exits.add(exited);
    void exited.then(() => this.exits.delete(exited));
    worker.on('message', (m: { id: number; key?: Uint8Array; error?: string }) => {
      const job = thread.job;
      thread.job = undefined;
      worker.unref();
      if (job?.id === m.id) {
        if (m.key) job.resolve(Buffer.from(m.key.buffer, m.key.byteOffset, m.key.byteLength));
        else job.reject(new Error(`scrypt failed: ${m.error}`));
      }
      if (this.closing) this.stopIdle(); else this.pump();
    });
    const lost = (why: string) => {
      const i = this.threads.indexOf(thread);
      if (i < 0) return;
      this.threads.splice(i, 1);
      thread.job?.reject(new Error(`the hashing thread stopped (${why})`));
      thread.job = undefined;
      if (!this.closing) this.pump();
    };
    worker.on('error', (err) => lost(err.message));
    worker.on('exit', (code) => lost(`exit ${code}`));
    this.threads.push(thread);
    return thread;
  }

  private stopIdle(): void {
    if (this.queue.length > 0) return;
    for (const t of [...this.threads]) {
      if (t.job) continue;
      this.threads.splice(this.threads.indexOf(t), 1);
      void t.worker.terminate();
    }
  }
}

function deriveOnLibuv(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
