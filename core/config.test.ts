import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerProcess, TestClient } from './testing/index.js';

/** `whiskr serve` started from a config file as an operator writes it, with the flags an operator adds. */
let proc: ServerProcess | undefined;
let dir: string | undefined;
afterEach(async () => {
  await proc?.kill();
  proc = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A path in this test's folder. */
function inDir(name: string): string {
  dir ??= mkdtempSync(join(tmpdir(), 'whiskr-config-'));
  return join(dir, name);
}

function configFile(content: object): string {
  const file = inDir('whiskr.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

async function json(port: number): Promise<TestClient> {
  const c = await TestClient.connect(port);
  await c.ok('/format json');
  return c;
}

/** The rehash the server logs after a SIGHUP. */
async function sighup(p: ServerProcess): Promise<{ needsRestart: string[] }> {
  const before = p.output.match(/rehash: \{.*\}\n/g)?.length ?? 0;
  p.signal('SIGHUP');
  await p.waitFor(new RegExp(`(?:rehash: \\{.*\\}\\n[^]*){${before + 1}}`));
  const logged = p.output.match(/rehash: \{.*\}\n/g)![before]!;
  return JSON.parse(logged.slice('rehash: '.length));
}

describe('whiskr serve: the config file', () => {
  it('without a "plugins" key loads the shipped set (auth, channels, history, admin, bots)', async () => {
    const file = configFile({ database: { url: `sqlite:${inDir('db.sqlite')}` } });
    proc = await ServerProcess.start(['--config', file]);
    const c = await json(proc.port);
    await c.ok('/register alice correct-horse-battery', 'login');
    await c.next('history'); // #general joined, its history replayed
    await c.ok('!flip', 'message');
    expect((await c.next((e) => e.type === 'message' && e.from === 'dice')).text).toMatch(/flipped a coin/);
    await c.ok('/history #general 5', 'history');
    expect(proc.output).not.toMatch(/no plugins configured/);
    c.close();
  });

  it('with "plugins": {} starts without plugins, and says so in its log', async () => {
    proc = await ServerProcess.start(['--config', configFile({ database: { url: `sqlite:${inDir('file.sqlite')}` }, plugins: {} })]);
    expect(proc.output).toMatch(/no plugins configured/);
    const c = await json(proc.port);
    await c.fails('/register alice correct-horse-battery', 'UNKNOWN_COMMAND');
    c.close();
  });

  it('a SIGHUP keeps the flags and environment it was started with: nothing "needs a restart" that did not change', async () => {
    const file = configFile({ server: { host: '0.0.0.0', port: 1 }, database: { url: `sqlite:${inDir('file.sqlite')}` }, plugins: { auth: { scryptN: 1024 } } });
    // ServerProcess starts with --host and --port; add --database.
    proc = await ServerProcess.start(['--config', file, '--database', `sqlite:${inDir('flag.sqlite')}`]);
    expect(await sighup(proc)).toMatchObject({ needsRestart: [] });
    // An edit of what the flags set is still overridden by them; an edit of a plugin's options applies.
    configFile({ server: { host: '0.0.0.0', port: 2 }, database: { url: `sqlite:${inDir('elsewhere.sqlite')}` }, plugins: { auth: { scryptN: 2048 } } });
    expect(await sighup(proc)).toMatchObject({ needsRestart: [], reloaded: ['auth'] });
    await proc.kill();

    proc = await ServerProcess.start(['--config', file], { WHISKR_DATABASE_URL: `sqlite:${inDir('env.sqlite')}` });
    expect(await sighup(proc)).toMatchObject({ needsRestart: [] });
    // Without a flag or variable, an edit of the file's database is reported.
    await proc.kill();
    proc = await ServerProcess.start(['--config', file]);
    configFile({ server: { host: '0.0.0.0', port: 3 }, database: { url: `sqlite:${inDir('moved.sqlite')}` }, plugins: { auth: { scryptN: 2048 } } });
    expect((await sighup(proc)).needsRestart).toEqual(['database.url']);
  });
});
