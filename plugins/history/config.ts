import { bool, int, num, options, str } from '../../core/index.js';

/** The history plugin's settings (config file section `plugins.history`): defaults and ranges. */
export const historyOptions = options({
  /** Messages /history returns when no count is given. */
  defaultCount: int({ min: 1, default: 50 }),
  /** Largest count /history accepts; a larger one is lowered to this. */
  maxCount: int({ min: 1, default: 500 }),
  /** Longest time, in milliseconds, a message waits in memory before its batch is written. */
  flushIntervalMs: num({ min: 0, default: 50 }),
  /** Messages written in one batch; a full batch is written at once without waiting for the interval. */
  batchSize: int({ min: 1, default: 500 }),
  /** SQLite under load (the first time a full batch waits): write from a worker thread with its own connection, off the event loop. false: always on the main thread. */
  writerThread: bool(true),
  /** Messages held in memory waiting to be written (while the database is slow or down); past this, new ones are dropped, counted and reported. */
  maxQueued: int({ min: 1, default: 100_000 }),
  /** First wait, in milliseconds, before a failed write is retried; it doubles on each failure. */
  retryMinMs: num({ min: 0, default: 100 }),
  /** Longest wait, in milliseconds, between retries of a failed write. */
  retryMaxMs: num({ min: 0, default: 5_000 }),
  /**
   * The outage journal: messages the database cannot take yet are appended here (fsynced per flush window)
   * and written at the next start if the process dies first. '': beside a SQLite file, or
   * `data/history-journal-<host>_<port>_<database>.jsonl` for MySQL; 'off': no journal.
   */
  journalFile: str(''),
  /** A write still running after this many milliseconds (a stalled database) starts journalling, as a failed one does. */
  journalAfterMs: num({ min: 0, default: 1_000 }),
  /** Seconds a shutdown (or unload) keeps trying to write what is queued before it gives up and logs what was lost. */
  shutdownFlushSeconds: num({ min: 0, default: 15 }),
  /** Keep messages this many days (0: forever). */
  retentionDays: num({ min: 0, default: 0 }),
  /** Seconds between two retention passes (the first runs shortly after start). */
  retentionCheckSeconds: num({ min: 0, default: 3_600 }),
  /** Most results /search returns (the newest matches). */
  searchMaxResults: int({ min: 1, default: 50 }),
  /** Seconds between two log warnings while messages are being dropped. */
  dropWarnSeconds: num({ min: 0, default: 30 }),
}, (c, path) => (c.retentionCheckSeconds <= 0 && c.retentionDays > 0 ? `${path}.retentionCheckSeconds must be more than 0` : undefined));

export const historyDefaults = historyOptions.defaults;
export type HistoryConfig = typeof historyDefaults;
