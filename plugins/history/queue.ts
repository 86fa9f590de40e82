import type { ChatMessage } from '../../core/index.js';
import { Fifo } from './fifo.js';
import { messageKey } from './keys.js';

export interface QueueOptions {
  flushIntervalMs: number;
  batchSize: number;
  maxQueued: number;
  retryMinMs: number;
  retryMaxMs: number;
  /** A write still running after this many milliseconds counts as failing for the journal. */
  journalAfterMs?: number;
}

/** Where messages go while the database cannot take them (journal.ts): appended and synced, then removed once stored. */
export interface QueueJournal {
  append(batch: readonly ChatMessage[]): void;
  clear(): void;
}

/** Where batches go (the store), and what the queue reports (the plugin logs and tells admins). */
export interface QueueSink {
  write(batch: readonly ChatMessage[]): Promise<void>;
  /** A write failed; it is retried after `retryInMs`. `attempt` counts failures in a row. */
  failed?(err: unknown, attempt: number, retryInMs: number): void;
  /** Writes work again after `attempts` failures. */
  recovered?(attempts: number): void;
  /** A message was dropped because the queue was full; `first` starts an episode. */
  dropped?(inEpisode: number, first: boolean): void;
  /** The queue has room again (half empty) after dropping `inEpisode` messages. */
  episodeEnded?(inEpisode: number): void;
  /** Messages were journalled (the first time since the journal was last emptied: `first`). */
  journalled?(count: number, first: boolean): void;
  /** The journal could not be written (disk full, …): those messages are only in memory. */
  journalFailed?(err: unknown): void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * The write-behind queue: `push` only appends in memory (it runs on the message hot path); batches are
 * written after a short window or as soon as a full batch is waiting, one write at a time. A failed write
 * keeps its batch and is retried with exponential backoff while new messages keep queueing, up to
 * `maxQueued`; past that, new messages are dropped and counted. Queued messages stay readable (by
 * conversation, in order) until they are written, so history never misses what was just said.
 */
export class WriteQueue {
  private readonly items = new Fifo<ChatMessage>();
  private readonly byKey = new Map<string, Fifo<ChatMessage>>();
  private writing?: Promise<boolean>;
  private timer?: NodeJS.Timeout;
  private immediate?: NodeJS.Immediate;
  private timerKind?: 'window' | 'now' | 'backoff';
  private looping = false;
  private failures = 0;
  private stopped = false;
  private totalDropped = 0;
  private episode = 0;
  private inEpisode = false;
  /** How many messages at the front of the queue are in the journal (see `journalNow`). */
  private journalled = 0;
  private journalTimer?: NodeJS.Timeout;
  /** The write under way has taken longer than journalAfterMs. */
  private slow = false;
  /** Messages written since start. */
  written = 0;

  constructor(private readonly sink: QueueSink, private readonly opts: QueueOptions, private readonly journal?: QueueJournal) {}

  get depth(): number { return this.items.length; }
  get dropped(): number { return this.totalDropped; }
  /** Failed writes in a row (0 when the database is fine). */
  get failing(): number { return this.failures; }

  /** Queue a message for writing. Synchronous and cheap; false when it was dropped (queue full). */
  push(m: ChatMessage): boolean {
    if (this.items.length >= this.opts.maxQueued) {
      this.totalDropped++;
      this.episode++;
      const first = !this.inEpisode;
      this.inEpisode = true;
      this.sink.dropped?.(this.episode, first);
      return false;
    }
    this.items.push(m);
    const key = messageKey(m);
    let list = this.byKey.get(key);
    if (!list) this.byKey.set(key, (list = new Fifo()));
    list.push(m);
    if (this.journal && (this.failures > 0 || this.slow) && !this.journalTimer) {
      // While the database is failing, a message is on disk within one flush window of being sent.
      this.journalTimer = setTimeout(() => this.journalNow(), this.opts.flushIntervalMs);
      this.journalTimer.unref();
    }
    if (!this.stopped) {
      if (!this.looping) this.schedule('window');
      else if (this.timerKind === 'window' && this.items.length >= this.opts.batchSize) this.schedule('now');
    }
    return true;
  }

  /**
   * Append everything queued and not yet in the journal, with one fsync. Runs when a write fails or is
   * slow, then once per flush window while that lasts, and at shutdown. The journalled messages are
   * always a prefix of the queue: the journal is removed once that prefix is written.
   */
  journalNow(): void {
    clearTimeout(this.journalTimer);
    this.journalTimer = undefined;
    if (!this.journal || this.journalled >= this.items.length) return;
    const batch = this.items.from(this.journalled);
    try {
      this.journal.append(batch);
    } catch (err) {
      this.sink.journalFailed?.(err);
      return;
    }
    const first = this.journalled === 0;
    this.journalled = this.items.length;
    this.sink.journalled?.(batch.length, first);
  }

  /** Messages of one conversation not yet known to be written, oldest first. */
  pendingFor(key: string): ChatMessage[] {
    const list = this.byKey.get(key);
    return list ? [...list] : [];
  }

  /** Every queued message, newest first. */
  newestFirst(): IterableIterator<ChatMessage> { return this.items.reversed(); }

  private schedule(kind: 'window' | 'now' | 'backoff'): void {
    this.cancel();
    this.looping = true;
    this.timerKind = kind;
    if (kind === 'now') {
      // Not setTimeout(0), which waits a millisecond: under a backlog that is a tenth of a batch's time.
      this.immediate = setImmediate(() => { this.immediate = undefined; void this.tick(); });
      this.immediate.unref();
      return;
    }
    this.timer = setTimeout(() => { this.timer = undefined; void this.tick(); }, kind === 'window' ? this.opts.flushIntervalMs : this.backoff(this.failures));
    this.timer.unref();
  }

  private cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = undefined;
  }

  private backoff(failures: number): number {
    return Math.min(this.opts.retryMaxMs, this.opts.retryMinMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  }

  private async tick(): Promise<void> {
    this.timerKind = undefined;
    const ok = await this.writeOnce();
    if (this.stopped) { this.looping = false; return; }
    if (!ok) this.schedule('backoff');
    else if (this.items.length >= this.opts.batchSize) this.schedule('now');
    else if (this.items.length > 0) this.schedule('window');
    else this.looping = false;
  }

  /** Write the batch at the front (or wait for the write under way). Resolves to whether it succeeded. */
  private writeOnce(): Promise<boolean> {
    if (this.writing) return this.writing;
    if (this.items.length === 0) return Promise.resolve(true);
    // Catching up (after an outage, or under saturation): up to four batches in one write, fewer round trips.
    const size = this.opts.batchSize;
    const batch = this.items.peek(this.items.length >= 2 * size ? Math.min(this.items.length, 4 * size) : size);
    const run = async (): Promise<boolean> => {
      const slowTimer = this.journal && this.opts.journalAfterMs !== undefined
        ? setTimeout(() => { this.slow = true; this.journalNow(); }, this.opts.journalAfterMs).unref()
        : undefined;
      try {
        await this.sink.write(batch);
      } catch (err) {
        this.failures++;
        this.journalNow();
        this.sink.failed?.(err, this.failures, this.backoff(this.failures));
        return false;
      } finally {
        clearTimeout(slowTimer);
        this.slow = false;
      }
      this.commit(batch);
      if (this.failures > 0) {
        const n = this.failures;
        this.failures = 0;
        this.sink.recovered?.(n);
      }
      return true;
    };
    this.writing = run().finally(() => { this.writing = undefined; });
    return this.writing;
  }

  private commit(batch: readonly ChatMessage[]): void {
    this.items.drop(batch.length);
    this.written += batch.length;
    if (this.journalled > 0) {
      this.journalled = Math.max(0, this.journalled - batch.length);
      if (this.journalled === 0) this.clearJournal();
    }
    // Per conversation, the order is the queue's order: the written ones are at the front of each list.
    const counts = new Map<string, number>();
    for (const m of batch) { const k = messageKey(m); counts.set(k, (counts.get(k) ?? 0) + 1); }
    for (const [k, n] of counts) {
      const list = this.byKey.get(k);
      if (!list) continue;
      list.drop(n);
      if (list.length === 0) this.byKey.delete(k);
    }
    if (this.inEpisode && this.items.length <= this.opts.maxQueued / 2) {
      const n = this.episode;
      this.inEpisode = false;
      this.episode = 0;
      this.sink.episodeEnded?.(n);
    }
  }

  /**
   * Write everything queued now, retrying failures (with backoff) until `timeoutMs` has passed.
   * Returns how many messages are still queued (0 when everything was written).
   */
  async flush(timeoutMs = Infinity): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let failures = 0;
    while (this.items.length > 0) {
      if (await this.writeOnce()) { failures = 0; continue; }
      failures++;
      const wait = Math.min(this.backoff(failures), deadline - Date.now());
      if (wait <= 0) break;
      await sleep(wait);
    }
    return this.items.length;
  }

  private clearJournal(): void {
    try { this.journal?.clear(); } catch (err) { this.sink.journalFailed?.(err); }
  }

  /** Stop the background writes (unload): what is queued stays for a final flush. */
  stop(): void {
    this.stopped = true;
    this.cancel();
    clearTimeout(this.journalTimer);
    this.journalTimer = undefined;
    this.looping = false;
  }
}
