import type { Migration } from '../../core/index.js';

/** Bans, mutes and the audit trail. Times are BIGINT ms since the epoch (SQLite and MySQL agree). */
export const migrations: Migration[] = [
  {
    name: '001_bans_mutes_audit',
    async up(db) {
      for (const table of ['admin_bans', 'admin_mutes']) {
        await db.schema.createTable(table, (t) => {
          t.increments('id');
          // One ban (one mute) per user: the lowercase name is the key, the name as written is shown.
          t.string('user_key', 64).notNullable().unique();
          t.string('user_name', 64).notNullable();
          t.string('set_by', 64).notNullable();
          t.text('reason').notNullable();
          t.bigInteger('until_at').nullable();
          t.bigInteger('created_at').notNullable();
        });
      }
      await db.schema.createTable('admin_audit', (t) => {
        t.increments('id');
        t.bigInteger('at').notNullable();
        t.string('actor', 64).notNullable();
        t.string('address', 64).notNullable();
        t.string('action', 32).notNullable();
        t.string('target', 200).nullable();
        t.text('reason').notNullable();
        t.text('detail').notNullable();
        t.index(['at']);
      });
    },
    async down(db) {
      await db.schema.dropTableIfExists('admin_audit');
      await db.schema.dropTableIfExists('admin_mutes');
      await db.schema.dropTableIfExists('admin_bans');
    },
  },
];
