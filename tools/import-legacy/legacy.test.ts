import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { openDatabase, type Knex } from '../../core/index.js';
import { TestServer, WHISKR_BIN, createTestDatabase, databaseKinds, mysqlAvailable } from '../../core/testing/index.js';
import { formatReport, importLegacy } from './importer.js';

const DUMP = '/work/shared/legacy/whiskr-save.sql';
const PLUGINS = { auth: {}, channels: {}, history: {}, admin: {} };

/** The original's dump loaded into a fresh database on the real MariaDB (collation mapped, as MariaDB needs). */
async function loadDump(): Promise<{ url: string; drop(): Promise<void> }> {
  const db = await createTestDatabase('mysql');
  const sql = readFileSync(DUMP, 'utf8').replaceAll('utf8mb4_0900_ai_ci', 'utf8mb4_general_ci');
  const c = await createConnection({ uri: db.url, multipleStatements: true });
  await c.query(sql);
  await c.end();
  return db;
}

let legacy: { url: string; drop(): Promise<void> } | undefined;
let legacyDb: Knex | undefined;

describe.skipIf(!mysqlAvailable())('import-legacy: the original Whiskr dump', () => {
  beforeAll(async () => {
    legacy = await loadDump();
    legacyDb = openDatabase(legacy.url);
  });
  afterAll(async () => {
    await legacyDb?.destroy();
    await legacy?.drop();
  });

  describe.each(databaseKinds())('into %s', (db) => {
    it('imports accounts, admins and the collapsed history; a legacy password logs in once and is re-hashed; twice changes nothing', async () => {
      const server = await TestServer.start({ db, plugins: PLUGINS });
      try {
        const report = await importLegacy(server.server, legacyDb!);
        expect(report.missingTables).toEqual([]);
        expect(report.accounts).toMatchObject({ users: 21, admins: 2, planned: 21, plannedAdmins: 2, created: 21, present: 0, refused: [] });
        expect(report.accounts.notes).toEqual(['titi: in both tables with different passwords; the account keeps its chat password (utilisateurs)']);
        // All five bans of the dump ended in December 2023.
        expect(report.bans).toMatchObject({ rows: 5, running: 0, imported: 0, expired: 5 });
        expect(report.history).toMatchObject({ rows: 269, messages: 197, imported: 193, present: 0, channel: '#general', refusedSenders: { 1: 4 }, untimed: 0, empty: 0 });
        const printed = formatReport(report).join('\n');
        expect(printed).toContain('21 accounts (2 admins): 21 created');
        expect(printed).toContain('269 rows -> 197 messages after collapsing the duplicate copies: 193 imported into #general');
        expect(printed).toContain('not imported: 4 message(s) from "1", a name Whiskr refuses');

        const accounts = await server.server.db('auth_accounts').select();
        expect(accounts).toHaveLength(21);
        expect(accounts.filter((a) => a.role === 'admin').map((a) => a.name).sort()).toEqual(['titi', 'toto']);
        const toto = accounts.find((a) => a.name === 'toto')!;
        expect(toto).toMatchObject({ legacy_kind: 'sha256', legacy_hash: '31f7a65e315586ac198bd798b6629ce4903d0899476d5741a9f32e2e521b6a66', pw_hash: null });
        expect(accounts.find((a) => a.name === 'zack')).toMatchObject({ legacy_kind: 'plain' });

        // toto / toto, the original's admin login: logs in as admin, and the hash is upgraded.
        const c = await server.json();
        await c.fails('/login toto wrong', 'INVALID_CREDENTIALS');
        expect(await c.ok('/login toto toto', 'login')).toEqual({ type: 'login', user: 'toto', role: 'admin' });
        const upgraded = await server.server.db('auth_accounts').where('name_key', 'toto').first();
        expect(upgraded).toMatchObject({ legacy_kind: null, legacy_hash: null });
        expect(upgraded.pw_hash).toMatch(/^[0-9a-f]{64}$/);
        // The imported history is there, in order, with the original times.
        const join = await c.next('history');
        expect(join.target).toBe('#general');
        const recent = await server.server.service('history')!.recent({ channel: '#general' }, 500);
        expect(recent).toHaveLength(193);
        expect(recent[0]).toMatchObject({ from: 'tata', text: 'test', ts: '2023-12-02T20:33:16.000Z', channel: '#general' });
        expect(recent.at(-1)).toMatchObject({ from: 'Serveur', text: 'tete a quitté la discussion.', ts: '2023-12-28T10:05:59.000Z' });
        const ids = recent.map((m) => m.id);
        expect(new Set(ids).size).toBe(193);
        expect([...ids].sort()).toEqual(ids);
        expect(recent.some((m) => m.text.includes('\n'))).toBe(false);
        // The plaintext legacy passwords too; titi keeps the chat password.
        const zack = await server.json();
        await zack.ok('/login zack toto', 'login');
        const titi = await server.json();
        expect(await titi.ok('/login titi titi', 'login')).toMatchObject({ role: 'admin' });

        // A second run changes nothing (and does not bring the legacy hash back).
        const again = await importLegacy(server.server, legacyDb!);
        expect(again.accounts).toMatchObject({ created: 0, present: 21 });
        expect(again.history).toMatchObject({ messages: 197, imported: 0, present: 193 });
        expect(await server.server.db('auth_accounts').count({ n: '*' })).toEqual([{ n: 21 }]);
        expect(await server.server.db('auth_accounts').where('name_key', 'toto').first()).toMatchObject({ legacy_hash: null });
        expect(await server.server.service('history')!.recent({ channel: '#general' }, 500)).toHaveLength(193);
        // After the upgrade, toto logs in with scrypt.
        const later = await server.json();
        await later.ok('/login toto toto', 'login');
      } finally {
        await server.stop();
      }
    });
  });

  it('imports the bans still running at import time (toto, banned for 120 s at 20:44:01 on 4 December 2023)', async () => {
    const clock = { now: () => Date.UTC(2023, 11, 4, 20, 45, 0) };
    const server = await TestServer.start({ db: 'sqlite', clock, plugins: PLUGINS });
    try {
      const report = await importLegacy(server.server, legacyDb!);
      expect(report.bans).toMatchObject({ rows: 5, running: 1, imported: 1, expired: 4, superseded: 0 });
      const ban = await server.server.service('admin')!.activeBan('toto');
      expect(ban).toMatchObject({ user: 'toto', until: Date.UTC(2023, 11, 4, 20, 46, 1), created: Date.UTC(2023, 11, 4, 20, 44, 1) });
      const c = await server.json();
      await c.fails('/login toto toto', 'BANNED');
      expect((await importLegacy(server.server, legacyDb!)).bans).toMatchObject({ imported: 0, unchanged: 1 });
    } finally {
      await server.stop();
    }
  });

  it('without the admin, channels and history plugins: accounts are imported, the rest reported as skipped', async () => {
    const server = await TestServer.start({ db: 'sqlite', clock: { now: () => Date.UTC(2023, 11, 4, 20, 45, 0) }, plugins: { auth: {} } });
    try {
      const report = await importLegacy(server.server, legacyDb!);
      expect(report.accounts.created).toBe(21);
      expect(report.bans.skipped).toBe('the admin plugin is not loaded');
      expect(report.history).toMatchObject({ rows: 269, skipped: 'the channels plugin is not loaded' });
      expect(formatReport(report).join('\n')).toMatch(/History: 269 rows: skipped: the channels plugin is not loaded/);
    } finally {
      await server.stop();
    }
  });

  it('`whiskr import-legacy --from …` prints what it did, and a second run imports nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'whiskr-import-'));
    try {
      const config = join(dir, 'whiskr.json');
      writeFileSync(config, JSON.stringify({ plugins: PLUGINS }));
      const args = ['import-legacy', '--from', legacy!.url, '--config', config, '--database', `sqlite:${join(dir, 'w.sqlite')}`];
      const first = await run(args);
      expect(first.code).toBe(0);
      expect(first.out).toContain('Accounts: 21 in utilisateurs, 2 in admin -> 21 accounts (2 admins): 21 created, 0 already present');
      expect(first.out).toContain('193 imported into #general, 0 already present');
      const second = await run(args);
      expect(second.code).toBe(0);
      expect(second.out).toContain('0 created, 21 already present');
      expect(second.out).toContain('0 imported into #general, 193 already present');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WHISKR_BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}
