import type { Migration } from '../../core/index.js';

/** Times are BIGINT ms since the epoch, so SQLite and MySQL agree. */
export const migrations: Migration[] = [
  {
    name: '001_channels',
    async up(db) {
      await db.schema.createTable('channels_channels', (t) => {
        t.increments('id').primary();
        /** As created (shown). */
        t.string('name', 50).notNullable();
        /** Lowercase: uniqueness without regard to case. */
        t.string('name_key', 50).notNullable().unique();
        t.boolean('is_private').notNullable().defaultTo(false);
        /** The creator's name, null for channels the server made (auto-join, bot seats). */
        t.string('owner', 32).nullable();
        t.string('topic', 400).notNullable().defaultTo('');
        t.string('topic_by', 32).nullable();
        t.bigInteger('topic_at').nullable();
        t.bigInteger('created_at').notNullable();
      });
      await db.schema.createTable('channels_members', (t) => {
        t.integer('channel_id').unsigned().notNullable().references('id').inTable('channels_channels').onDelete('CASCADE');
        /** Lowercase user or bot name. */
        t.string('member_key', 32).notNullable();
        /** As registered (shown). */
        t.string('name', 32).notNullable();
        /** A bot seated by /channel invite. */
        t.boolean('is_bot').notNullable().defaultTo(false);
        /** In the channel (true), or only allowed in a private channel it was invited to (false). */
        t.boolean('joined').notNullable().defaultTo(true);
        t.bigInteger('added_at').notNullable();
        t.primary(['channel_id', 'is_bot', 'member_key']);
        t.index(['member_key']);
      });
      await db.schema.createTable('channels_offline', (t) => {
        t.increments('id').primary();
        /** Lowercase recipient name. */
        t.string('to_key', 32).notNullable();
        /** The message as JSON. */
        t.text('body').notNullable();
        t.bigInteger('created_at').notNullable();
        t.index(['to_key', 'id']);
      });
    },
    async down(db) {
      await db.schema.dropTableIfExists('channels_offline');
      await db.schema.dropTableIfExists('channels_members');
      await db.schema.dropTableIfExists('channels_channels');
    },
  },
  {
    // A deleted channel's name, with a message id issued when it was deleted: history older than it
    // belongs to a former life of the name, never to a channel created again under it.
    name: '002_gone',
    async up(db) {
      await db.schema.createTable('channels_gone', (t) => {
        t.string('name_key', 50).notNullable().primary();
        t.string('before_id', 13).notNullable();
      });
    },
    async down(db) {
      await db.schema.dropTableIfExists('channels_gone');
    },
  },
  {
    // Kept direct messages are capped per sender too: one account cannot fill someone's inbox for everyone.
    name: '003_offline_from',
    async up(db) {
      await db.schema.alterTable('channels_offline', (t) => {
        /** Lowercase sender name. */
        t.string('from_key', 32).nullable();
        t.index(['to_key', 'from_key']);
      });
      const rows = await db('channels_offline').select('id', 'body');
      for (const r of rows) {
        const from = (JSON.parse(String(r.body)) as { from?: string }).from;
        if (from) await db('channels_offline').where({ id: r.id }).update({ from_key: from.toLowerCase() });
      }
    },
    async down(db) {
      await db.schema.alterTable('channels_offline', (t) => {
        t.dropIndex(['to_key', 'from_key']);
        t.dropColumn('from_key');
      });
    },
  },
  {
    // A cluster: the nodes where a user logs in at the same moment each hand over kept messages. A delivery
    // first claims the user's rows in one statement, so each row is handed over by one delivery only.
    name: '004_offline_claim',
    async up(db) {
      await db.schema.alterTable('channels_offline', (t) => {
        /** The delivery handing the row over now (null: waiting). */
        t.string('claimed_by', 64).nullable();
        /** The node of that delivery: a claim by a node that is gone is void. */
        t.string('claimed_node', 64).nullable();
        t.bigInteger('claimed_at').nullable();
        t.index(['claimed_by', 'id']);
      });
    },
    async down(db) {
      await db.schema.alterTable('channels_offline', (t) => {
        t.dropIndex(['claimed_by', 'id']);
        t.dropColumn('claimed_by');
        t.dropColumn('claimed_node');
        t.dropColumn('claimed_at');
      });
    },
  },
];
