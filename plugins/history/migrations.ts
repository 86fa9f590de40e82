import type { Knex, Migration } from '../../core/index.js';

export const MESSAGES = 'history_messages';

export const isMysql = (db: Knex): boolean => /mysql/.test(String(db.client.config.client));

/**
 * One row per message, whatever the number of recipients. Times are ms since the epoch (BIGINT) so that
 * SQLite and MySQL agree. On MySQL the key columns are ASCII with binary collation: ids and name keys
 * are ASCII by construction, and binary comparison keeps the indexes small and their order the ids' order.
 */
export const migrations: Migration[] = [
  {
    name: '001_messages',
    async up(db) {
      const mysql = isMysql(db);
      const key = (t: Knex.CreateTableBuilder, name: string, length: number) =>
        mysql ? t.specificType(name, `varchar(${length}) character set ascii collate ascii_bin`) : t.string(name, length);
      await db.schema.createTable(MESSAGES, (t) => {
        key(t, 'id', 13).notNullable().primary();
        // a channel's lowercased name, or `@a|b` for the direct messages between a and b
        key(t, 'target_key', 80).notNullable();
        t.string('sender', 64).notNullable();
        key(t, 'sender_key', 64).notNullable();
        t.string('channel', 64).nullable();
        t.string('recipient', 64).nullable();
        if (mysql) t.text('text', 'mediumtext').notNullable(); else t.text('text').notNullable();
        t.string('kind', 8).notNullable();
        t.bigInteger('ts').notNullable();
        t.boolean('bot').notNullable().defaultTo(false);
        t.index(['target_key', 'id'], 'history_target_id');
        t.index(['sender_key', 'id'], 'history_sender_id');
        if (mysql) { t.engine('InnoDB'); t.charset('utf8mb4'); t.collate('utf8mb4_unicode_ci'); }
      });
    },
    async down(db) {
      await db.schema.dropTableIfExists(MESSAGES);
    },
  },
];
