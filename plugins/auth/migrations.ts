import type { Migration } from '../../core/index.js';

/** Times are BIGINT ms since the epoch, so SQLite and MySQL agree. */
export const migrations: Migration[] = [
  {
    name: '001_accounts',
    async up(db) {
      await db.schema.createTable('auth_accounts', (t) => {
        t.increments('id').primary();
        /** As registered (shown). */
        t.string('name', 32).notNullable();
        /** Lowercase: uniqueness without regard to case. */
        t.string('name_key', 32).notNullable().unique();
        t.string('role', 16).notNullable().defaultTo('user');
        /** scrypt: the derived key and salt (hex) and the parameters they were made with. Null for a legacy account not yet upgraded. */
        t.string('pw_hash', 128).nullable();
        t.string('pw_salt', 64).nullable();
        t.integer('pw_n').nullable();
        t.integer('pw_r').nullable();
        t.integer('pw_p').nullable();
        /** A password imported from the original Whiskr: `sha256` hex or `plain`; erased at the first login. */
        t.string('legacy_kind', 16).nullable();
        t.string('legacy_hash', 255).nullable();
        t.bigInteger('created_at').notNullable();
        t.bigInteger('last_seen').nullable();
      });
      await db.schema.createTable('auth_tokens', (t) => {
        t.increments('id').primary();
        t.integer('account_id').unsigned().notNullable().references('id').inTable('auth_accounts').onDelete('CASCADE');
        /** SHA-256 hex of the token; the token itself is never stored. */
        t.string('token_hash', 64).notNullable().unique();
        t.bigInteger('created_at').notNullable();
        t.bigInteger('expires_at').notNullable();
        t.index(['account_id']);
      });
    },
    async down(db) {
      await db.schema.dropTableIfExists('auth_tokens');
      await db.schema.dropTableIfExists('auth_accounts');
    },
  },
];
