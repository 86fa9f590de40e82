import type { Migration } from '../../core/index.js';

/** Times are BIGINT ms since the epoch, so SQLite and MySQL agree. Names are stored with a lowercase key. */
export const migrations: Migration[] = [
  {
    name: '001_reminders_polls',
    async up(db) {
      await db.schema.createTable('bots_reminders', (t) => {
        t.increments('id').primary();
        /** Who asked, as they are named, and the lowercase key to find theirs. */
        t.string('user', 32).notNullable();
        t.string('user_key', 32).notNullable();
        /** Where it was asked: a channel, or null for a DM to the bot (then it comes back as a DM). */
        t.string('channel', 64).nullable();
        t.string('text', 1000).notNullable();
        t.bigInteger('created_at').notNullable();
        t.bigInteger('due_at').notNullable();
        /** Set while a delivery is under way (so two runs never deliver the same one). */
        t.bigInteger('claimed_at').nullable();
        /** Failed deliveries so far. */
        t.integer('attempts').notNullable().defaultTo(0);
        t.index(['due_at']);
        t.index(['user_key']);
      });
      await db.schema.createTable('bots_polls', (t) => {
        t.increments('id').primary();
        t.string('channel', 64).notNullable();
        t.string('channel_key', 64).notNullable();
        /** The channel key while the poll is open, null once closed: one open poll per channel, by the unique index. */
        t.string('open_key', 64).nullable().unique();
        t.string('question', 1000).notNullable();
        /** The options as a JSON list of strings. */
        t.text('options').notNullable();
        t.string('creator', 32).notNullable();
        t.bigInteger('created_at').notNullable();
        t.bigInteger('closed_at').nullable();
        t.string('closed_by', 32).nullable();
        t.index(['channel_key']);
      });
      await db.schema.createTable('bots_poll_votes', (t) => {
        t.integer('poll_id').unsigned().notNullable().references('id').inTable('bots_polls').onDelete('CASCADE');
        t.string('voter', 32).notNullable();
        t.string('voter_key', 32).notNullable();
        /** The option's index (0-based) in the poll's list. */
        t.integer('choice').notNullable();
        t.bigInteger('voted_at').notNullable();
        t.primary(['poll_id', 'voter_key']);
      });
    },
    async down(db) {
      await db.schema.dropTableIfExists('bots_poll_votes');
      await db.schema.dropTableIfExists('bots_polls');
      await db.schema.dropTableIfExists('bots_reminders');
    },
  },
];
