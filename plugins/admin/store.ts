import { nameKey, type Knex } from '../../core/index.js';
import type { Restriction, RestrictionKind } from './api.js';

/** One table per kind of restriction, the same columns in each. */
const TABLES: Record<RestrictionKind, string> = { ban: 'admin_bans', mute: 'admin_mutes' };
const AUDIT = 'admin_audit';

interface RestrictionRow {
  user_key: string; user_name: string; set_by: string; reason: string;
  until_at: number | string | null; created_at: number | string;
}

interface AuditRow {
  id: number; at: number | string; actor: string; address: string; action: string;
  target: string | null; reason: string; detail: string;
}

/** An audit row as stored (times in ms since the epoch). */
export interface AuditRecord {
  id: number; at: number; by: string; address: string; action: string;
  target: string | null; text: string; detail: string;
}

export type NewAuditRecord = Omit<AuditRecord, 'id'>;

// MySQL may return BIGINT as a string.
const num = (v: number | string): number => (typeof v === 'string' ? Number(v) : v);

function toRestriction(row: RestrictionRow): Restriction {
  return {
    user: row.user_name, by: row.set_by, text: row.reason,
    until: row.until_at === null ? null : num(row.until_at), created: num(row.created_at),
  };
}

function toAudit(row: AuditRow): AuditRecord {
  return {
    id: Number(row.id), at: num(row.at), by: row.actor, address: row.address, action: row.action,
    target: row.target, text: row.reason, detail: row.detail,
  };
}

/** Still running at `now`: permanent, or ending later. */
const running = (now: number) => (q: Knex.QueryBuilder) => q.whereNull('until_at').orWhere('until_at', '>', now);

/** All of the admin plugin's SQL: bans, mutes (one row per user each) and the audit trail. */
export class AdminStore {
  constructor(private readonly db: Knex) {}

  /** Set a user's restriction of this kind (one per user and kind: a new one replaces the old). */
  async put(kind: RestrictionKind, r: Restriction): Promise<void> {
    await this.db(TABLES[kind])
      .insert({ user_key: nameKey(r.user), user_name: r.user, set_by: r.by, reason: r.text, until_at: r.until, created_at: r.created })
      .onConflict('user_key')
      .merge(['user_name', 'set_by', 'reason', 'until_at', 'created_at']);
  }

  /** The stored restriction of a user, running or ended. */
  async get(kind: RestrictionKind, user: string): Promise<Restriction | undefined> {
    const row = await this.db<RestrictionRow>(TABLES[kind]).where('user_key', nameKey(user)).first();
    return row ? toRestriction(row) : undefined;
  }

  async remove(kind: RestrictionKind, user: string): Promise<boolean> {
    return (await this.db(TABLES[kind]).where('user_key', nameKey(user)).delete()) > 0;
  }

  /** The restrictions of this kind still running at `now`, oldest first. */
  async running(kind: RestrictionKind, now: number): Promise<Restriction[]> {
    const rows = await this.db<RestrictionRow>(TABLES[kind]).where(running(now)).orderBy('created_at').orderBy('id');
    return rows.map(toRestriction);
  }

  /** Delete the restrictions of every kind that ended at or before `now`. */
  async purgeExpired(now: number): Promise<number> {
    let n = 0;
    for (const table of Object.values(TABLES)) n += await this.db(table).whereNotNull('until_at').andWhere('until_at', '<=', now).delete();
    return n;
  }

  async audit(r: NewAuditRecord): Promise<void> {
    await this.db(AUDIT).insert({
      at: r.at, actor: r.by, address: r.address, action: r.action, target: r.target, reason: r.text, detail: r.detail,
    });
  }

  /** The newest `limit` audit rows, oldest first; with `who`, only rows where that user acted or was the target. */
  async recentAudit(limit: number, who?: string): Promise<AuditRecord[]> {
    const q = this.db<AuditRow>(AUDIT).orderBy('id', 'desc').limit(limit);
    if (who) q.where((w) => w.whereRaw('lower(actor) = ?', [nameKey(who)]).orWhereRaw('lower(target) = ?', [nameKey(who)]));
    const rows = await q;
    return rows.map(toAudit).reverse();
  }
}
