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

/**
 * Run `whiskr …` on a terminal (a pseudo-terminal from script(1)): `answers` are typed one by one, each
 * once the output matches its prompt.
 */
function whiskrOnTerminal(args: string[], answers: [RegExp, string][]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const line = [process.execPath, WHISKR_BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    const child = spawn('script', ['-qefc', line, '/dev/null'], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let next = 0;
    let seen = 0;
    const onData = (d: Buffer) => {
      out += d;
      const answer = answers[next];
      if (answer && answer[0].test(out.slice(seen))) { next++; seen = out.length; child.stdin.write(`${answer[1]}\r`); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
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
  it('on a terminal the password is asked twice; two different ones change nothing', async () => {
    const url = await database('sqlite');
    const config = configFile();
    const args = ['user', 'add', 'carol', '--config', config, '--database', url];
    const differ = await whiskrOnTerminal(args, [[/Password for carol: /, 'a secret for carol'], [/Again, to confirm: /, 'a secret for karol']]);
    expect(differ.out).toContain('The two passwords differ; nothing was changed.');
    expect(differ.code).toBe(1);
    expect(differ.out).not.toContain('a secret'); // never echoed
    const made = await whiskrOnTerminal(args, [[/Password for carol: /, 'a secret for carol'], [/Again, to confirm: /, 'a secret for carol']]);
    expect(made.out).toContain('Created user carol.');
    expect(made.code).toBe(0);
    server = await TestServer.start({ databaseUrl: url, plugins: { auth: {} } });
    await (await server.json()).ok('/login carol a secret for carol', 'login');
  });

  it('`user add --admin` on an existing name says how to make it an admin, without asking for a password', async () => {
    const url = await database('sqlite');
    const config = configFile();
    const cli = (args: string[], input = '') => whiskr([...args, '--config', config, '--database', url], input);
    expect((await cli(['user', 'add', 'dave'], 'a secret for dave\n')).code).toBe(0);
    const again = await cli(['user', 'add', 'Dave', '--admin'], 'another password\n');
    expect(again.code).toBe(1);
    expect(again.out).toContain('The name dave is taken: that account exists (user). To make it an admin: whiskr user role dave admin');
    expect((await cli(['user', 'role', 'dave', 'admin'])).out).toContain('dave is now admin.');
  });

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
