import { isValidUserName, isoTime, type ChatMessage, type Clock, type Knex, type PluginContext } from '../../core/index.js';
import '../../plugins/auth/api.js';
import '../../plugins/channels/api.js';
import '../../plugins/history/api.js';
import '../../plugins/admin/api.js';
import { legacyMessageId, legacyText, planAccounts, planBans } from './plan.js';
import { LegacySource, type LegacyTable } from './source.js';

/** What an import did, for the operator (printed) and for tests. */
export interface LegacyReport {
  missingTables: LegacyTable[];
  accounts: {
    users: number; admins: number;
    /** Accounts after merging the two tables, and how many of them are admins. */
    planned: number; plannedAdmins: number;
    created: number; present: number;
    refused: { name: string; table: string; reason: string }[];
    notes: string[];
  };
  bans: { rows: number; running: number; imported: number; unchanged: number; expired: number; superseded: number; refused: string[]; skipped?: string };
  history: {
    rows: number;
    /** Messages after collapsing the duplicate copies. */
    messages: number;
    imported: number; present: number;
    channel?: string;
    /** Messages not imported because Whiskr refuses the sender's name, by name. */
    refusedSenders: Record<string, number>;
    untimed: number; empty: number;
    skipped?: string;
  };
}

const BATCH = 1000;

/** What the import needs of the booted server: its clock and the plugins' services (a Server is one). */
export interface LegacyImportTarget {
  readonly clock: Clock;
  service: PluginContext['service'];
}

/**
 * Import the original Whiskr's database into this server's plugins: accounts through auth (legacy
 * passwords kept until the first login), running bans through admin, the history into #general through
 * channels and history. Running it again changes nothing.
 */
export async function importLegacy(server: LegacyImportTarget, legacyDb: Knex, opts: { now?: number; channel?: string } = {}): Promise<LegacyReport> {
  const now = opts.now ?? server.clock.now();
  const auth = server.service('auth');
  if (!auth) throw new Error('the auth plugin is not loaded (check the config file)');
  const source = new LegacySource(legacyDb);
  const present = await source.present();
  const report: LegacyReport = {
    missingTables: (['utilisateurs', 'admin', 'bannis', 'historique'] as const).filter((t) => !present.has(t)),
    accounts: { users: 0, admins: 0, planned: 0, plannedAdmins: 0, created: 0, present: 0, refused: [], notes: [] },
    bans: { rows: 0, running: 0, imported: 0, unchanged: 0, expired: 0, superseded: 0, refused: [] },
    history: { rows: 0, messages: 0, imported: 0, present: 0, refusedSenders: {}, untimed: 0, empty: 0 },
  };
  if (present.size === 0) throw new Error('none of the original Whiskr tables (utilisateurs, admin, bannis, historique) is in that database');

  // ── Accounts ──
  const users = present.has('utilisateurs') ? await source.users() : [];
  const admins = present.has('admin') ? await source.admins() : [];
  const plan = planAccounts(users, admins);
  Object.assign(report.accounts, {
    users: users.length, admins: admins.length, planned: plan.accounts.length,
    plannedAdmins: plan.accounts.filter((a) => a.role === 'admin').length, refused: plan.refused, notes: plan.notes,
  });
  for (const a of plan.accounts) {
    const outcome = await auth.importLegacyAccount(a.name, a.role, a.legacy);
    report.accounts[outcome === 'created' ? 'created' : 'present']++;
  }

  // ── Bans ──
  if (present.has('bannis')) {
    const rows = await source.bans();
    const bans = planBans(rows, now);
    Object.assign(report.bans, { rows: rows.length, running: bans.running.length, expired: bans.expired, superseded: bans.superseded, refused: bans.refused });
    const admin = server.service('admin');
    if (!admin) {
      if (bans.running.length) report.bans.skipped = 'the admin plugin is not loaded';
    } else {
      for (const b of bans.running) {
        const stored = await admin.importBan({ user: b.user, by: 'import', text: 'banned on the original Whiskr', until: b.until, created: b.created });
        report.bans[stored ? 'imported' : 'unchanged']++;
      }
    }
  }

  // ── History ──
  if (present.has('historique')) {
    report.history.rows = await source.historyRows();
    const channels = server.service('channels');
    const history = server.service('history');
    if (!channels || !history) {
      report.history.skipped = `the ${!channels ? 'channels' : 'history'} plugin is not loaded`;
    } else {
      const channel = await channels.ensureChannel(opts.channel ?? '#general');
      report.history.channel = channel;
      let batch: ChatMessage[] = [];
      const flush = async () => {
        if (!batch.length) return;
        const fresh = await history.importMessages(batch);
        report.history.imported += fresh;
        report.history.present += batch.length - fresh;
        batch = [];
      };
      let second = -1;
      let seq = 0;
      for await (const m of source.history()) {
        report.history.messages++;
        if (m.ms === null) { report.history.untimed++; continue; }
        // The sequence counts every message of the second (also skipped ones), so ids never shift.
        const s = Math.floor(m.ms / 1000);
        if (s !== second) { second = s; seq = 0; } else seq++;
        if (!isValidUserName(m.sender)) {
          report.history.refusedSenders[m.sender] = (report.history.refusedSenders[m.sender] ?? 0) + 1;
          continue;
        }
        const text = legacyText(m.text);
        if (!text.trim()) { report.history.empty++; continue; }
        batch.push({ id: legacyMessageId(m.ms, seq), from: m.sender, channel, text, ts: isoTime(m.ms), kind: 'message' });
        if (batch.length >= BATCH) await flush();
      }
      await flush();
    }
  }
  return report;
}

/** The report as lines for the terminal. */
export function formatReport(r: LegacyReport): string[] {
  const out: string[] = [];
  if (r.missingTables.length) out.push(`Tables not found (skipped): ${r.missingTables.join(', ')}`);
  const a = r.accounts;
  out.push(`Accounts: ${a.users} in utilisateurs, ${a.admins} in admin -> ${a.planned} accounts (${a.plannedAdmins} admins): ${a.created} created, ${a.present} already present (left as they are)`);
  for (const x of a.refused) out.push(`  refused name ${JSON.stringify(x.name)} (${x.table}): ${x.reason}`);
  for (const n of a.notes) out.push(`  note: ${n}`);
  if (a.created) out.push('  imported accounts log in once with their old password, which is then re-hashed with scrypt');
  const b = r.bans;
  out.push(`Bans: ${b.rows} rows: ${b.running} still running (${b.skipped ? `skipped: ${b.skipped}` : `${b.imported} imported, ${b.unchanged} already present`}), ${b.expired} expired, ${b.superseded} superseded by a later ban of the same name`);
  for (const n of b.refused) out.push(`  refused name ${JSON.stringify(n)}: not a valid Whiskr name`);
  const h = r.history;
  if (h.skipped) {
    out.push(`History: ${h.rows} rows: skipped: ${h.skipped}`);
  } else {
    out.push(`History: ${h.rows} rows -> ${h.messages} messages after collapsing the duplicate copies: ${h.imported} imported into ${h.channel ?? '#general'}, ${h.present} already present`);
    for (const [name, n] of Object.entries(h.refusedSenders)) out.push(`  not imported: ${n} message(s) from ${JSON.stringify(name)}, a name Whiskr refuses (2 to 32 letters, digits, "_", "-" or ".")`);
    if (h.untimed) out.push(`  not imported: ${h.untimed} message(s) without a time`);
    if (h.empty) out.push(`  not imported: ${h.empty} empty message(s)`);
  }
  return out;
}
