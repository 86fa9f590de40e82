import type { Knex } from '../../core/index.js';
import type { LegacyAccountRow, LegacyBanRow } from './plan.js';

/** One message of the old history after the duplicate copies are collapsed. */
export interface LegacyMessage { id: number; sender: string; text: string; /** ms, null when the row has no time */ ms: number | null; copies: number }

export const LEGACY_TABLES = ['utilisateurs', 'admin', 'bannis', 'historique'] as const;
export type LegacyTable = (typeof LEGACY_TABLES)[number];

/** Reads the original Whiskr's `serveur` database (MySQL) through Knex. */
export class LegacySource {
  constructor(private readonly db: Knex) {}

  async present(): Promise<Set<LegacyTable>> {
    const out = new Set<LegacyTable>();
    for (const t of LEGACY_TABLES) if (await this.db.schema.hasTable(t)) out.add(t);
    return out;
  }

  private async accounts(table: 'utilisateurs' | 'admin'): Promise<LegacyAccountRow[]> {
    const rows = await this.db(table).select({ name: 'nom_utilisateur', password: 'mot_de_passe' }).orderBy('id');
    return rows.map((r: { name: string; password: string }) => ({ name: String(r.name), password: String(r.password) }));
  }

  users(): Promise<LegacyAccountRow[]> { return this.accounts('utilisateurs'); }
  admins(): Promise<LegacyAccountRow[]> { return this.accounts('admin'); }

  /** Times read as UNIX_TIMESTAMP, so the connection's time zone does not matter. */
  async bans(): Promise<LegacyBanRow[]> {
    const rows = await this.db('bannis')
      .select({ name: 'username', duree: 'duree' }, this.db.raw('UNIX_TIMESTAMP(`timestamp`) AS t'))
      .orderBy('id');
    return rows.map((r: { name: string; t: number | string | null; duree: number | string | null }) => ({
      name: String(r.name),
      at: r.t === null ? null : Math.round(Number(r.t) * 1000),
      seconds: r.duree === null ? null : Number(r.duree),
    }));
  }

  async historyRows(): Promise<number> {
    const [row] = await this.db('historique').count({ n: '*' });
    return Number((row as { n: number | string }).n);
  }

  /**
   * The history with the copies collapsed (same sender, same text — compared exactly, not by the table's
   * case-insensitive collation — same second), oldest first, streamed so a large table is never held at once.
   */
  async *history(): AsyncGenerator<LegacyMessage> {
    const sql = `
      SELECT MIN(id) AS id, MIN(sender) AS sender, MIN(message) AS message, UNIX_TIMESTAMP(\`timestamp\`) AS t, COUNT(*) AS copies
      FROM historique
      GROUP BY MD5(sender), MD5(message), UNIX_TIMESTAMP(\`timestamp\`)
      ORDER BY t, id`;
    const stream = this.db.raw(sql).stream();
    for await (const r of stream as AsyncIterable<{ id: number; sender: string; message: string; t: number | string | null; copies: number | string }>) {
      yield {
        id: Number(r.id), sender: String(r.sender), text: String(r.message),
        ms: r.t === null ? null : Math.round(Number(r.t) * 1000), copies: Number(r.copies),
      };
    }
  }
}
