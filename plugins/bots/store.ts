import type { Knex } from '../../core/index.js';
import { nameKey } from '../../core/index.js';
import type { Poll, Reminder } from './api.js';

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function reminder(r: Row): Reminder {
  return {
    id: num(r.id), user: String(r.user), channel: r.channel === null ? null : String(r.channel), text: String(r.text),
    createdAt: num(r.created_at), dueAt: num(r.due_at), attempts: num(r.attempts),
  };
}

/** The reminders table. All SQL for reminders is here. */
export class ReminderStore {
  constructor(private readonly db: Knex) {}

  async add(r: Omit<Reminder, 'id' | 'attempts'>): Promise<Reminder> {
    const [id] = await this.db('bots_reminders').insert({
      user: r.user, user_key: nameKey(r.user), channel: r.channel, text: r.text, created_at: r.createdAt, due_at: r.dueAt,
    });
    return { ...r, id: num(id), attempts: 0 };
  }

  /** A user's pending reminders, soonest first (optionally only those asked in one channel). */
  async pendingOf(user: string, channel?: string): Promise<Reminder[]> {
    const q = this.db('bots_reminders').where({ user_key: nameKey(user) }).orderBy([{ column: 'due_at' }, { column: 'id' }]);
    if (channel !== undefined) q.andWhere({ channel });
    return (await q).map(reminder);
  }

  async countOf(user: string): Promise<number> {
    const [row] = await this.db('bots_reminders').where({ user_key: nameKey(user) }).count<{ n: number }[]>({ n: '*' });
    return num(row?.n ?? 0);
  }

  /** Reminders due before `until` that nobody is delivering (or whose delivery was abandoned before `staleBefore`). */
  async dueBefore(until: number, staleBefore: number): Promise<Reminder[]> {
    const rows = await this.db('bots_reminders')
      .where('due_at', '<', until)
      .andWhere((q) => q.whereNull('claimed_at').orWhere('claimed_at', '<', staleBefore))
      .orderBy('due_at').limit(1000);
    return rows.map(reminder);
  }

  /** Take a reminder for delivery; false if it is gone or someone else has it. */
  async claim(id: number, now: number, staleBefore: number): Promise<Reminder | undefined> {
    const n = await this.db('bots_reminders').where({ id })
      .andWhere((q) => q.whereNull('claimed_at').orWhere('claimed_at', '<', staleBefore))
      .update({ claimed_at: now });
    if (n !== 1) return undefined;
    const row = await this.db('bots_reminders').where({ id }).first();
    return row ? reminder(row) : undefined;
  }

  /** A delivery failed or could not start: give it back, counting the attempt if it was one. */
  async release(id: number, attempted = true): Promise<void> {
    await this.db('bots_reminders').where({ id }).update(attempted ? { claimed_at: null, attempts: this.db.raw('attempts + 1') } : { claimed_at: null });
  }

  /** A channel was deleted: its reminders come back as direct messages (never into a channel made again under its name). */
  async unbind(channel: string): Promise<number> {
    return this.db('bots_reminders').whereRaw('lower(channel) = ?', [nameKey(channel)]).update({ channel: null });
  }

  /** Delivered or cancelled. With a user, only that user's (cancel). Returns whether one was removed. */
  async remove(id: number, user?: string): Promise<Reminder | undefined> {
    const q = this.db('bots_reminders').where({ id });
    if (user !== undefined) q.andWhere({ user_key: nameKey(user) });
    const row = await q.clone().first();
    if (!row) return undefined;
    await q.delete();
    return reminder(row);
  }
}

function poll(r: Row, counts: number[]): Poll {
  return {
    id: num(r.id), channel: String(r.channel), question: String(r.question), options: JSON.parse(String(r.options)) as string[],
    creator: String(r.creator), createdAt: num(r.created_at), closedAt: numOrNull(r.closed_at),
    closedBy: r.closed_by === null ? null : String(r.closed_by), counts,
  };
}

/** The polls and their votes. All SQL for polls is here. */
export class PollStore {
  constructor(private readonly db: Knex) {}

  /** A new open poll; undefined when the channel already has one open. */
  async create(p: { channel: string; question: string; options: string[]; creator: string; createdAt: number }): Promise<Poll | undefined> {
    const key = nameKey(p.channel);
    try {
      const [id] = await this.db('bots_polls').insert({
        channel: p.channel, channel_key: key, open_key: key, question: p.question, options: JSON.stringify(p.options),
        creator: p.creator, created_at: p.createdAt,
      });
      return { ...p, id: num(id), closedAt: null, closedBy: null, counts: p.options.map(() => 0) };
    } catch (err) {
      if (isUniqueViolation(err)) return undefined;
      throw err;
    }
  }

  async open(channel: string): Promise<Poll | undefined> {
    const row = await this.db('bots_polls').where({ open_key: nameKey(channel) }).first();
    return row ? this.withCounts(row) : undefined;
  }

  /** A poll of a channel by id (closed ones too); undefined if it is another channel's. */
  async get(id: number, channel: string): Promise<Poll | undefined> {
    const row = await this.db('bots_polls').where({ id, channel_key: nameKey(channel) }).first();
    return row ? this.withCounts(row) : undefined;
  }

  /** The newest poll of a channel, open or closed. */
  async latest(channel: string): Promise<Poll | undefined> {
    const row = await this.db('bots_polls').where({ channel_key: nameKey(channel) }).orderBy('id', 'desc').first();
    return row ? this.withCounts(row) : undefined;
  }

  /** Record a vote (replacing the voter's earlier one). Returns the choice it replaced, if any. */
  async vote(pollId: number, voter: string, choice: number, now: number): Promise<number | undefined> {
    const key = nameKey(voter);
    const before = await this.db('bots_poll_votes').where({ poll_id: pollId, voter_key: key }).first();
    await this.db('bots_poll_votes')
      .insert({ poll_id: pollId, voter, voter_key: key, choice, voted_at: now })
      .onConflict(['poll_id', 'voter_key']).merge(['choice', 'voted_at', 'voter']);
    return before ? num(before.choice) : undefined;
  }

  /** Close an open poll; false if it was not open. */
  async close(id: number, by: string, now: number): Promise<boolean> {
    const n = await this.db('bots_polls').where({ id }).whereNotNull('open_key').update({ open_key: null, closed_at: now, closed_by: by });
    return n === 1;
  }

  /** Remove one poll and its votes. */
  async remove(id: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx('bots_poll_votes').where({ poll_id: id }).delete();
      await tx('bots_polls').where({ id }).delete();
    });
  }

  /** A channel was deleted: its polls and their votes go with it. */
  async purge(channel: string): Promise<number> {
    const key = nameKey(channel);
    let removed = 0;
    await this.db.transaction(async (tx) => {
      await tx('bots_poll_votes').whereIn('poll_id', tx('bots_polls').select('id').where({ channel_key: key })).delete();
      removed = await tx('bots_polls').where({ channel_key: key }).delete();
    });
    return removed;
  }

  private async withCounts(row: Row): Promise<Poll> {
    const options = JSON.parse(String(row.options)) as string[];
    const counts = options.map(() => 0);
    const rows = await this.db('bots_poll_votes').where({ poll_id: row.id }).select('choice').count<{ choice: number; n: number }[]>({ n: '*' }).groupBy('choice');
    for (const r of rows) {
      const i = num(r.choice);
      if (i >= 0 && i < counts.length) counts[i] = num(r.n);
    }
    return poll(row, counts);
  }
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; message?: string };
  return e?.code === 'ER_DUP_ENTRY' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}
