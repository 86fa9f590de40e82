import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ServerProcess, TestClient, WHISKR_BIN, type JsonEvent, PASSWORD } from '../../core/testing/index.js';

/**
 * The "write your own bot" flow of README.md, for real: a copy of this folder listed by path in the config
 * of a `whiskr serve` process, edited while people are connected, and `/plugin reload hello` by an admin.
 */
const coreUrl = pathToFileURL(join(import.meta.dirname, '..', '..', 'core', 'index.ts')).href;
const botsUrl = pathToFileURL(join(import.meta.dirname, '..', 'bots', 'api.ts')).href;
let proc: ServerProcess | undefined;
let dir: string | undefined;
afterEach(async () => {
  await proc?.kill();
  proc = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function client(port: number, login: string): Promise<TestClient> {
  const c = await TestClient.connect(port);
  await c.line(/Whiskr/);
  await c.ok('/format json');
  await c.ok(login, 'login');
  await c.next('history');
  return c;
}

const fromHello = (text?: RegExp) => (e: JsonEvent) => e.type === 'message' && e.from === 'hello' && e.bot === true && (!text || text.test(e.text));

describe('the hello plugin, copied, edited and reloaded in a running server', () => {
  it('answers, then answers with the edited text after /plugin reload hello, people staying connected', async () => {
    dir = mkdtempSync(join(tmpdir(), 'whiskr-hello-'));
    const copy = join(dir, 'hello');
    cpSync(import.meta.dirname, copy, { recursive: true, filter: (f) => !f.endsWith('.test.ts') });
    // Outside plugins/, a copy imports the core (and the bots plugin's api) by its path and declares itself an ES module (README.md).
    for (const f of readdirSync(copy).filter((n) => n.endsWith('.ts'))) {
      const file = join(copy, f);
      writeFileSync(file, readFileSync(file, 'utf8').replaceAll("'../../core/index.js'", `'${coreUrl}'`).replaceAll("'../bots/api.js'", `'${botsUrl}'`));
    }
    writeFileSync(join(copy, 'package.json'), '{ "type": "module" }\n');
    const config = join(dir, 'whiskr.json');
    writeFileSync(config, JSON.stringify({
      database: { url: `sqlite:${join(dir, 'whiskr.sqlite')}` },
      plugins: { auth: {}, channels: {}, admin: {}, bots: { enabled: [] }, './hello': { greeting: 'Hello' } },
    }, null, 2));
    execFileSync(process.execPath, [WHISKR_BIN, 'user', 'add', 'boss', '--admin', '--config', config], { input: `${PASSWORD}\n`, env: { ...process.env, WHISKR_LOG: 'warn' } });

    proc = await ServerProcess.start(['--config', config]);
    const boss = await client(proc.port, `/login boss ${PASSWORD}`);
    const alice = await client(proc.port, `/register alice ${PASSWORD}`);
    const who = await alice.ok('/who #general', 'who');
    expect(who.users).toContainEqual({ name: 'hello', status: 'online', role: 'user', bot: true });
    alice.send('!hello');
    expect((await alice.next(fromHello())).text).toBe('Hello, alice!');

    // Edit the copy: a new reply and a new command.
    const index = join(copy, 'index.ts');
    const source = readFileSync(index, 'utf8');
    const edited = source
      .replace("return `${greeting}, ${who}!${n > 1 ? ` (that's ${n} times now)` : ''}`;", 'return `${greeting} again, ${who}! This is the edited bot.`;')
      .replace("        {\n          name: 'echo',", "        { name: 'bye', usage: '!bye', summary: 'say goodbye', run: (call) => `Bye, ${call.from}!` },\n        {\n          name: 'echo',");
    expect(edited).not.toBe(source);
    expect(edited).toContain("name: 'bye'");
    writeFileSync(index, edited);

    await boss.ok('/plugin reload hello');
    alice.send('!hello');
    expect((await alice.next(fromHello(/again/))).text).toBe('Hello again, alice! This is the edited bot.');
    alice.send('!bye');
    expect((await alice.next(fromHello(/Bye/))).text).toBe('Bye, alice!');
    alice.send('!help bye');
    expect((await alice.next(fromHello(/!bye/))).text).toBe('!bye — say goodbye');
    // The bot stayed in the channel through the reload.
    expect(alice.events.some((e) => (e.type === 'part' || e.type === 'join') && e.user === 'hello')).toBe(false);

    // A broken edit is refused and the running version keeps answering.
    writeFileSync(index, `${edited}\nthis is not TypeScript (\n`);
    const failed = await boss.request('/plugin reload hello');
    expect(failed).toMatchObject({ type: 'error', code: 'PLUGIN_FAILED' });
    alice.send('!bye');
    expect((await alice.next(fromHello(/Bye/))).text).toBe('Bye, alice!');

    alice.close();
    boss.close();
    proc.signal('SIGTERM');
    expect(await proc.exited).toBe(0);
  }, 60_000);
});
