import { isoTime, nameKey, type ChatMessage, type Knex } from '../../core/index.js';
import { LAST, MESSAGES, isMysql } from './migrations.js';
import { messageKey } from './keys.js';
import type { HistoryPage } from './api.js';

interface Row {
  id: string;
  target_key: string;
  sender: string;
  sender_key: string;
  channel: string | null;
  recipient: string | null;
  text: string;
  kind: string;
  ts: number | string;
  bot: number | boolean;
}

const COLUMNS = ['id', 'sender', 'channel', 'recipient', 'text', 'kind', 'ts', 'bot'] as const;
/** Rows per INSERT statement: 10 parameters each, well under SQLite's 32,766 per statement. */
const MAX_ROWS = 1_000;
const INSERT_COLUMNS = '(`id`, `target_key`, `sender`, `sender_key`, `channel`, `recipient`, `text`, `kind`, `ts`, `bot`)';
const ROW_PLACEHOLDERS = '(?,?,?,?,?,?,?,?,?,?)';
/** Bytes of text per insert statement, well under MySQL's max_allowed_packet (16 MB by default). */
const MAX_STATEMENT_BYTES = 4 * 1024 * 1024;

export function toRow(m: ChatMessage): Row {
  const ts = Date.parse(m.ts);
  return {
    id: m.id,
    target_key: messageKey(m),
    sender: m.from,
    sender_key: nameKey(m.from),
    channel: m.channel ?? null,
    recipient: m.channel === undefined ? (m.to ?? null) : null,
    text: m.text,
    kind: m.kind,
    ts: Number.isFinite(ts) ? ts : 0,
    bot: m.bot ? 1 : 0,
  };
}

export function fromRow(r: Pick<Row, (typeof COLUMNS)[number]>): ChatMessage {
  const m: ChatMessage = { id: r.id, from: r.sender, text: r.text, ts: isoTime(Number(r.ts)), kind: r.kind === 'action' || r.kind === 'notice' ? r.kind : 'message' };
  if (r.channel !== null) m.channel = r.channel; else m.to = r.recipient ?? '';
  if (r.bot === 1 || r.bot === true) m.bot = true;
  return m;
}

/** The smallest id issued at `ms` (see core/ids.ts). */
export const idAt = (ms: number): string => Math.max(0, Math.floor(ms)).toString(36).padStart(9, '0') + '0000';

/** `!` escapes LIKE's wildcards the same way on SQLite and MySQL. */
export const likeEscape = (s: string): string => s.replace(/[!%_]/g, (c) => `!${c}`);

/** All of the history plugin's SQL: one table of messages, one row each. */
export class HistoryStore {
  private readonly mysql: boolean;
  constructor(private readonly db: Knex) { this.mysql = isMysql(db); }

  /**
   * Write messages, in statements small enough for SQLite's parameter limit and MySQL's packet size, in
   * one transaction. Ids already stored are skipped, so a batch retried after an unclear failure is safe.
   */
  async insert(messages: readonly ChatMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const chunks: Row[][] = [];
    let chunk: Row[] = [];
    let bytes = 0;
    for (const m of messages) {
      const row = toRow(m);
      const size = Buffer.byteLength(row.text) + 200;
      if (chunk.length > 0 && (chunk.length >= MAX_ROWS || bytes + size > MAX_STATEMENT_BYTES)) {
        chunks.push(chunk);
        chunk = [];
        bytes = 0;
      }
      chunk.push(row);
      bytes += size;
    }
    chunks.push(chunk);
    // The newest id of each sender in the batch, for lastFrom.
    const last = new Map<string, string>();
    for (const m of messages) {
      const key = nameKey(m.from);
      const seen = last.get(key);
      if (seen === undefined || m.id > seen) last.set(key, m.id);
    }
    await this.db.transaction(async (trx) => {
      for (const c of chunks) await this.insertRows(trx, c);
      const pairs = [...last];
      for (let i = 0; i < pairs.length; i += MAX_ROWS) await this.upsertLast(trx, pairs.slice(i, i + MAX_ROWS));
    });
  }

  /** Raise each sender's newest id (never lower it: an import may bring older messages). */
  private upsertLast(q: Knex.Transaction, pairs: [string, string][]): Promise<unknown> {
    const values = pairs.map(() => '(?,?)').join(',');
    return q.raw(this.mysql
      ? `insert into ${LAST} (sender_key, id) values ${values} on duplicate key update id = greatest(id, values(id))`
      : `insert into ${LAST} (sender_key, id) values ${values} on conflict (sender_key) do update set id = excluded.id where excluded.id > ${LAST}.id`,
    pairs.flat());
  }

  /**
   * One multi-row INSERT that skips ids already stored. Written out rather than built by Knex's query
   * builder, whose SQLite form (a compound SELECT) is slower and limited to 500 rows.
   */
  private insertRows(q: Knex | Knex.Transaction, rows: Row[]): Promise<unknown> {
    const params: (string | number | null)[] = [];
    for (const r of rows) params.push(r.id, r.target_key, r.sender, r.sender_key, r.channel, r.recipient, r.text, r.kind, Number(r.ts), r.bot ? 1 : 0);
    const values = rows.map(() => ROW_PLACEHOLDERS).join(',');
    return q.raw(this.mysql
      ? `insert ignore into ${MESSAGES} ${INSERT_COLUMNS} values ${values}`
      : `insert into ${MESSAGES} ${INSERT_COLUMNS} values ${values} on conflict (id) do nothing`, params);
  }

  /**
   * A page of one conversation, oldest first: the newest `limit`, or those before or after an id. Ids up
   * to `floor` are left out (a former life of the channel's name).
   */
  async page(key: string, opts: { limit: number; before?: string; after?: string; floor?: string }): Promise<HistoryPage> {
    const q = this.db(MESSAGES).select(COLUMNS).where('target_key', key).limit(opts.limit + 1);
    if (opts.floor !== undefined) q.andWhere('id', '>', opts.floor);
    if (opts.after !== undefined) {
      const rows: Row[] = await q.andWhere('id', '>', opts.after).orderBy('id', 'asc');
      const more = rows.length > opts.limit;
      return { messages: rows.slice(0, opts.limit).map(fromRow), more };
    }
    if (opts.before !== undefined) q.andWhere('id', '<', opts.before);
    const rows: Row[] = await q.orderBy('id', 'desc');
    const more = rows.length > opts.limit;
    return { messages: rows.slice(0, opts.limit).reverse().map(fromRow), more };
  }

  /** The newest message a user sent anywhere. */
  async lastFrom(user: string): Promise<ChatMessage | undefined> {
    const row: Row | undefined = await this.db(LAST).join(MESSAGES, `${MESSAGES}.id`, `${LAST}.id`)
      .select(COLUMNS.map((c) => `${MESSAGES}.${c}`)).where(`${LAST}.sender_key`, nameKey(user)).first();
    return row ? fromRow(row) : undefined;
  }

  /** The newest id stored (the id generator continues after it). */
  async newestId(): Promise<string | undefined> {
    const row: { id: string } | undefined = await this.db(MESSAGES).select('id').orderBy('id', 'desc').first();
    return row?.id;
  }

  /** Which of these ids are stored. */
  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += 1000) {
      const rows: { id: string }[] = await this.db(MESSAGES).select('id').whereIn('id', ids.slice(i, i + 1000));
      for (const r of rows) found.add(r.id);
    }
    return found;
  }

  /**
   * Delete up to `limit` of the oldest messages whose id was issued before `ts` (an id starts with its
   * time in ms, so this is a range of the primary key); returns how many went.
   */
  async pruneBefore(ts: number, limit: number): Promise<number> {
    const bound = idAt(ts);
    const rows: { id: string }[] = await this.db(MESSAGES).select('id').where('id', '<', bound).orderBy('id', 'asc').limit(limit);
    if (rows.length === 0) return 0;
    await this.db(MESSAGES).whereIn('id', rows.map((r) => r.id)).delete();
    return rows.length;
  }

  /** Delete a conversation's messages with ids before `before` (a deleted channel), a batch at a time. */
  async purge(key: string, before: string): Promise<number> {
    let total = 0;
    for (;;) {
      const rows: { id: string }[] = await this.db(MESSAGES).select('id').where('target_key', key).andWhere('id', '<', before).limit(MAX_ROWS);
      if (rows.length === 0) return total;
      await this.db(MESSAGES).where('target_key', key).whereIn('id', rows.map((r) => r.id)).delete();
      total += rows.length;
    }
  }

  /** The id `span` rows older than `before` (or than the newest, without it): the lower end of a scan window. */
  async idBelow(before: string | undefined, span: number): Promise<string | undefined> {
    const q = this.db(MESSAGES).select('id').orderBy('id', 'desc').offset(span - 1).limit(1);
    if (before !== undefined) q.where('id', '<', before);
    const row: { id: string } | undefined = await q.first();
    return row?.id;
  }

  /**
   * Matches of a substring (LIKE, see README) among ids in [from, before), in the conversations `keys`
   * and the direct messages of `user`, newest first.
   */
  async searchWindow(opts: { keys: string[]; user: string; text: string; from?: string; before?: string; limit: number }): Promise<ChatMessage[]> {
    const u = likeEscape(nameKey(opts.user));
    const q = this.db(MESSAGES).select(COLUMNS)
      .where((w) => {
        if (opts.keys.length) w.whereIn('target_key', opts.keys);
        w.orWhereRaw(`target_key like ? escape '!'`, [`@${u}|%`]).orWhereRaw(`target_key like ? escape '!'`, [`@%|${u}`]);
      })
      .andWhereRaw(`text like ? escape '!'`, [`%${likeEscape(opts.text)}%`])
      .orderBy('id', 'desc').limit(opts.limit);
    if (opts.from !== undefined) q.andWhere('id', '>=', opts.from);
    if (opts.before !== undefined) q.andWhere('id', '<', opts.before);
    const rows: Row[] = await q;
    return rows.map(fromRow);
  }

  async count(key?: string): Promise<number> {
    const q = this.db(MESSAGES).count({ n: '*' });
    if (key !== undefined) q.where('target_key', key);
    const row = (await q.first()) as { n: number | string } | undefined;
    return Number(row?.n ?? 0);
  }
}
