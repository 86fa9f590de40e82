/** The history plugin's settings (config file section `plugins.history`), with their defaults. */
export const historyDefaults = {
  /** Messages /history returns when no count is given. */
  defaultCount: 50,
  /** Largest count /history accepts; a larger one is lowered to this. */
  maxCount: 500,
  /** Longest time, in milliseconds, a message waits in memory before its batch is written. */
  flushIntervalMs: 50,
  /** Messages written in one batch; a full batch is written at once without waiting for the interval. */
  batchSize: 500,
  /** SQLite under load (the first time a full batch waits): write from a worker thread with its own connection, off the event loop. false: always on the main thread. */
  writerThread: true,
  /** Messages held in memory waiting to be written (while the database is slow or down); past this, new ones are dropped, counted and reported. */
  maxQueued: 100_000,
  /** First wait, in milliseconds, before a failed write is retried; it doubles on each failure. */
  retryMinMs: 100,
  /** Longest wait, in milliseconds, between retries of a failed write. */
  retryMaxMs: 5_000,
  /**
   * The outage journal: messages the database cannot take yet are appended here (fsynced per flush window)
   * and written at the next start if the process dies first. '': beside a SQLite file, or
   * `data/history-journal-<host>_<port>_<database>.jsonl` for MySQL; 'off': no journal.
   */
  journalFile: '',
  /** A write still running after this many milliseconds (a stalled database) starts journalling, as a failed one does. */
  journalAfterMs: 1_000,
  /** Seconds a shutdown (or unload) keeps trying to write what is queued before it gives up and logs what was lost. */
  shutdownFlushSeconds: 15,
  /** Keep messages this many days (0: forever). */
  retentionDays: 0,
  /** Seconds between two retention passes (the first runs shortly after start). */
  retentionCheckSeconds: 3_600,
  /** Most results /search returns (the newest matches). */
  searchMaxResults: 50,
  /** Seconds between two log warnings while messages are being dropped. */
  dropWarnSeconds: 30,
};

export type HistoryConfig = typeof historyDefaults;
