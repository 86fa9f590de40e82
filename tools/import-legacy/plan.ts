import { isValidUserName, nameKey, type Role } from '../../core/index.js';
import type { LegacyPassword } from '../../plugins/auth/api.js';

/**
 * The pure half of the legacy import: what the original Whiskr's rows become. No database here, so it
 * is tested by tables.
 */

export interface LegacyAccountRow { name: string; password: string }
export interface LegacyBanRow { name: string; /** ms since the epoch, or null */ at: number | null; /** seconds, or null */ seconds: number | null }

export interface PlannedAccount { name: string; role: Role; legacy: LegacyPassword }
export interface AccountPlan {
  accounts: PlannedAccount[];
  /** Names Whiskr's rules refuse, with the table they came from. */
  refused: { name: string; table: string; reason: string }[];
  /** Things worth telling the operator (a name in both tables with different passwords…). */
  notes: string[];
}

/** The original stored unsalted SHA-256 hex, and a few plaintext passwords. */
export function legacyPassword(value: string): LegacyPassword {
  return /^[0-9a-f]{64}$/i.test(value) ? { kind: 'sha256', hash: value.toLowerCase() } : { kind: 'plain', hash: value };
}

/**
 * Accounts from `utilisateurs` (chat users) and `admin` (console admins): admins get the admin role; a
 * name in both tables becomes one admin account that keeps its chat password (the one its owner typed
 * into the chat client). Names are compared without regard to case, as Whiskr does.
 */
export function planAccounts(users: LegacyAccountRow[], admins: LegacyAccountRow[]): AccountPlan {
  const plan: AccountPlan = { accounts: [], refused: [], notes: [] };
  const byKey = new Map<string, PlannedAccount>();
  const add = (row: LegacyAccountRow, table: string, role: Role) => {
    const name = row.name.trim();
    if (!isValidUserName(name)) {
      plan.refused.push({ name: row.name, table, reason: 'Whiskr names are 2 to 32 letters, digits, "_", "-" or "."' });
      return;
    }
    const existing = byKey.get(nameKey(name));
    if (!existing) {
      const account: PlannedAccount = { name, role, legacy: legacyPassword(row.password) };
      byKey.set(nameKey(name), account);
      plan.accounts.push(account);
      return;
    }
    if (table === 'admin' && existing.role !== 'admin') {
      existing.role = 'admin';
      if (existing.legacy.hash !== legacyPassword(row.password).hash) {
        plan.notes.push(`${existing.name}: in both tables with different passwords; the account keeps its chat password (utilisateurs)`);
      }
      return;
    }
    plan.notes.push(`${name} (${table}): the same name as ${existing.name} without regard to case; only the first is imported`);
  };
  for (const row of users) add(row, 'utilisateurs', 'user');
  for (const row of admins) add(row, 'admin', 'admin');
  return plan;
}

export interface PlannedBan { user: string; created: number; until: number | null }

/**
 * Bans still running at `now`: a row's end is its time plus its duration (no duration: permanent).
 * Several rows for one name: the one that ends last wins.
 */
export function planBans(rows: LegacyBanRow[], now: number): { running: PlannedBan[]; expired: number; superseded: number; refused: string[] } {
  const best = new Map<string, PlannedBan>();
  let expired = 0;
  let superseded = 0;
  const refused: string[] = [];
  const endsLater = (a: number | null, b: number | null) => a === null ? b !== null : b !== null && a > b;
  for (const row of rows) {
    if (!isValidUserName(row.name)) { refused.push(row.name); continue; }
    const created = row.at ?? now;
    const until = row.seconds === null || row.seconds <= 0 ? null : created + row.seconds * 1000;
    if (until !== null && until <= now) { expired++; continue; }
    const key = nameKey(row.name);
    const previous = best.get(key);
    if (previous) superseded++;
    if (!previous || endsLater(until, previous.until)) best.set(key, { user: row.name, created, until });
  }
  return { running: [...best.values()], expired, superseded, refused };
}

/**
 * A message id (core/ids.ts: 9 base-36 digits of ms, 4 of sequence) made from the original time and the
 * message's place among those of the same second, so a second run makes the same ids and stores nothing twice.
 */
export function legacyMessageId(ms: number, seq: number): string {
  return ms.toString(36).padStart(9, '0') + seq.toString(36).padStart(4, '0');
}

/** The original allowed line breaks and control characters inside a message; Whiskr's messages are one line. */
export function legacyText(text: string): string {
  return text.replace(/\r\n|\r|\n/g, ' ').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trimEnd();
}
