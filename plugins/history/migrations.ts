import type { Knex, Migration } from '../../core/index.js';

export const MESSAGES = 'history_messages';
/** The newest message id of each sender (for lastFrom, !seen): one small row per user instead of an index on every message. */
export const LAST = 'history_last';

export const isMysql = (db: Knex): boolean => /mysql/.test(String(db.client.config.client));

/**
 * One row per message, whatever the number of recipients. Times are ms since the epoch (BIGINT) so that
 * SQLite and MySQL agree. On MySQL the key columns are ASCII with binary collation: ids and name keys
 * are ASCII by construction, and binary comparison keeps the indexes small and their order the ids' order.
 * Index: (target_key, id) for /history and replay (lastFrom has its own small table, see 002). None on `ts`:
 * an id begins with its time, so retention deletes by id range (one index less to update per insert).
 */
export const migrations: Migration[] = [
  {
    name: '001_messages',
    async up(db) {
      const mysql = isMysql(db);
      if (!mysql) {
        // SQLite: WITHOUT ROWID makes the id the table's own key (one B-tree less to update per insert).
        await db.raw(`create table ${MESSAGES} (
          id varchar(13) not null primary key,
          target_key varchar(80) not null,
          sender varchar(64) not null,
          sender_key varchar(64) not null,
          channel varchar(64),
          recipient varchar(64),
          text text not null,
          kind varchar(8) not null,
          ts bigint not null,
          bot boolean not null default 0
        ) without rowid`);
      } else {
        const key = (t: Knex.CreateTableBuilder, name: string, length: number) =>
          t.specificType(name, `varchar(${length}) character set ascii collate ascii_bin`);
        await db.schema.createTable(MESSAGES, (t) => {
          key(t, 'id', 13).notNullable().primary();
          // a channel's lowercased name, or `@a|b` for the direct messages between a and b
          key(t, 'target_key', 80).notNullable();
          t.string('sender', 64).notNullable();
          key(t, 'sender_key', 64).notNullable();
          t.string('channel', 64).nullable();
          t.string('recipient', 64).nullable();
          t.text('text', 'mediumtext').notNullable();
          t.string('kind', 8).notNullable();
          t.bigInteger('ts').notNullable();
          t.boolean('bot').notNullable().defaultTo(false);
          t.engine('InnoDB');
          t.charset('utf8mb4');
          t.collate('utf8mb4_unicode_ci');
        });
      }
      await db.schema.alterTable(MESSAGES, (t) => {
        t.index(['target_key', 'id'], 'history_target_id');
        t.index(['sender_key', 'id'], 'history_sender_id');
      });
    },
    async down(db) {
      await db.schema.dropTableIfExists(MESSAGES);
    },
  },
  {
    // An index on (sender_key, id) halved SQLite's insert rate (a random B-tree position per message);
    // the newest id per sender, updated once per sender per batch, answers lastFrom as well.
    name: '002_last_per_sender',
    async up(db) {
      const mysql = isMysql(db);
      await db.schema.createTable(LAST, (t) => {
        if (mysql) {
          t.specificType('sender_key', 'varchar(64) character set ascii collate ascii_bin').notNullable().primary();
          t.specificType('id', 'varchar(13) character set ascii collate ascii_bin').notNullable();
          t.engine('InnoDB');
        } else {
          t.string('sender_key', 64).notNullable().primary();
          t.string('id', 13).notNullable();
        }
      });
      await db.raw(`insert into ${LAST} (sender_key, id) select sender_key, max(id) from ${MESSAGES} group by sender_key`);
      await db.schema.alterTable(MESSAGES, (t) => { t.dropIndex([], 'history_sender_id'); });
    },
    async down(db) {
      await db.schema.alterTable(MESSAGES, (t) => { t.index(['sender_key', 'id'], 'history_sender_id'); });
      await db.schema.dropTableIfExists(LAST);
    },
  },
  {
    // InnoDB stores rows in primary-key order. Keyed by id, one conversation's messages lie scattered
    // among everyone else's, and a /history page of 50 read up to 50 pages from disk once the table
    // outgrew the buffer pool (p99 6.4 ms at 1 M rows with the default 128 MB pool). Keyed by
    // (target_key, id), a page is one or two adjacent leaf pages; id stays unique through its own index.
    // SQLite reads from the OS page cache and keeps its layout (0.35 ms).
    name: '003_mysql_rows_by_conversation',
    async up(db) {
      if (!isMysql(db)) return;
      await db.raw(`alter table ${MESSAGES} drop primary key, add primary key (target_key, id), add unique key history_id (id), drop index history_target_id`);
    },
    async down(db) {
      if (!isMysql(db)) return;
      await db.raw(`alter table ${MESSAGES} drop primary key, add primary key (id), add index history_target_id (target_key, id), drop index history_id`);
    },
  },
];
