import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ChatMessage, Knex } from '../../core/index.js';
import { sqliteFile } from './writer.js';

/**
 * The outage journal: messages the database could not take yet, appended to a local file (one JSON
 * line each) and fsynced per batch, so a crash or SIGKILL during an outage loses none of them. At start
 * they are written to the database again; ids already stored are skipped, so a replay interrupted by
 * another crash stores nothing twice. The file is removed once everything in it is stored.
 *
 * The writes are synchronous: they happen only while the database is failing or slow, at most once per
 * flush window, and ordering against the removal is then trivially right.
 */
export class Journal {
  private fd?: number;

  constructor(readonly file: string) {}

  /** Append messages and fsync: when this returns they survive a crash of the process or the machine. */
  append(batch: readonly ChatMessage[]): void {
    if (batch.length === 0) return;
    // Removed under us (a reloaded copy of the plugin replayed and removed it): start a new file.
    if (this.fd !== undefined && fstatSync(this.fd).nlink === 0) this.close();
    if (this.fd === undefined) {
      mkdirSync(dirname(this.file), { recursive: true });
      const created = !existsSync(this.file);
      this.fd = openSync(this.file, 'a', 0o600);
      // A torn last line from a previous crash must not swallow the first new message.
      writeSync(this.fd, '\n');
      if (created) syncDirectory(dirname(this.file)); // the new file's name survives a power loss too
    }
    writeSync(this.fd, batch.map((m) => JSON.stringify(m)).join('\n') + '\n');
    fsyncSync(this.fd);
  }

  /** Everything in the file, in order; a torn or unreadable line (a crash mid-append) is skipped and counted. */
  read(): { messages: ChatMessage[]; skipped: number } {
    if (!existsSync(this.file)) return { messages: [], skipped: 0 };
    const messages: ChatMessage[] = [];
    let skipped = 0;
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (line === '') continue;
      try {
        const m = JSON.parse(line) as ChatMessage;
        if (typeof m?.id === 'string' && typeof m.from === 'string' && typeof m.text === 'string' && typeof m.ts === 'string') messages.push(m);
        else skipped++;
      } catch { skipped++; }
    }
    return { messages, skipped };
  }

  /** Everything in the file is stored: remove it. */
  clear(): void {
    let mine = true;
    if (this.fd !== undefined) {
      // Only the file this copy wrote: after a reload another copy may have started a new one.
      try { mine = statSync(this.file).ino === fstatSync(this.fd).ino; } catch { mine = false; }
      closeSync(this.fd);
    }
    this.fd = undefined;
    if (!mine) return;
    try { unlinkSync(this.file); } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; }
  }

  /** Close the file (unload) without removing it: what it holds is replayed at the next start. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

/**
 * Where the journal lives unless `journalFile` says: beside a SQLite file; for MySQL under `data/` in the
 * working directory, named after the database so two servers on two databases never share one. None for
 * an in-memory database (nothing of it survives a restart anyway).
 */
export function defaultJournalFile(db: Knex, url: string): string | undefined {
  const file = sqliteFile(db);
  if (file) return `${file}.history-journal`;
  if (!/^(mysql|mariadb):/.test(url)) return undefined;
  const u = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const name = `${u.hostname}_${u.port || 3306}_${u.pathname.replace(/^\//, '')}`.replace(/[^A-Za-z0-9_.-]/g, '_');
  return resolve('data', `history-journal-${name}.jsonl`);
}
