import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestServer, WHISKR_BIN, createTestDatabase, databaseKinds, type TestDatabaseKind } from '../../core/testing/index.js';

let server: TestServer | undefined;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  await server?.stop({ keepDatabase: true });
  server = undefined;
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Run `whiskr …` as a real process with `input` piped to its standard input. */
function whiskr(args: string[], input: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WHISKR_BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
    child.stdin.end(input);
  });
}

async function database(kind: TestDatabaseKind): Promise<string> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'whiskr-cli-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return `sqlite:${join(dir, 'whiskr.sqlite')}`;
  }
  const db = await createTestDatabase('mysql');
  cleanups.push(db.drop);
  return db.url;
}

function configFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'whiskr-cli-config-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'whiskr.json');
  writeFileSync(file, JSON.stringify({ plugins: { auth: {} } }));
  return file;
}

describe.each(databaseKinds())('whiskr user (%s)', (kind) => {
  it('`whiskr user add bob --admin` with the password piped makes an admin who logs in', async () => {
    const url = await database(kind);
    const made = await whiskr(['user', 'add', 'bob', '--admin', '--config', configFile(), '--database', url], 'a secret for bob\n');
    expect(made.out).toContain('Created admin bob.');
    expect(made.code).toBe(0);
    server = await TestServer.start({ databaseUrl: url, plugins: { auth: {} } });
    const bob = await server.json();
    expect(await bob.ok('/login bob a secret for bob', 'login')).toEqual({ type: 'login', user: 'bob', role: 'admin' });
    expect((await bob.ok('/whoami', 'whoami')).role).toBe('admin');
  });
});

describe('whiskr user: refusals, roles, list', () => {
  it('refuses a taken name and a weak password (exit 1, the reason printed); role and list', async () => {
    const url = await database('sqlite');
    const config = configFile();
    const cli = (args: string[], input = '') => whiskr([...args, '--config', config, '--database', url], input);
    expect((await cli(['user', 'add', 'bob'], 'a secret for bob\n')).code).toBe(0);
    const again = await cli(['user', 'add', 'BOB'], 'another password\n');
    expect(again.code).toBe(1);
    expect(again.out).toContain('The name BOB is taken.');
    const weak = await cli(['user', 'add', 'carl'], 'short\n');
    expect(weak.code).toBe(1);
    expect(weak.out).toMatch(/at least 8 characters/);
    const role = await cli(['user', 'role', 'bob', 'admin']);
    expect(role.out).toContain('bob is now admin.');
    const list = await cli(['user', 'list']);
    expect(list.out).toMatch(/^bob\s+admin last seen never$/m);
    expect(list.out).not.toMatch(/carl/);
  });
});
