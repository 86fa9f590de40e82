import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerProcess, TestClient, freePort } from './testing/index.js';

const ROOT = join(import.meta.dirname, '..');
let dir: string | undefined;
let proc: ServerProcess | undefined;
afterEach(async () => {
  await proc?.kill();
  proc = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** `node <package>/bin/whiskr.js serve` as ServerProcess runs the project's own. */
async function servePackaged(bin: string, config: string): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [bin, 'serve', '--config', config, '--host', '127.0.0.1', '--port', String(port), '--no-console'], {
    env: { ...process.env, NO_COLOR: '1', WHISKR_LOG: 'info' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  return ServerProcess.attach(child, port);
}

describe('the published package (npm pack)', () => {
  it('holds what `whiskr serve` and `whiskr client` need, and no tests, fixtures or benchmark results', async () => {
    dir = mkdtempSync(join(tmpdir(), 'whiskr-pack-'));
    const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
    expect(packed.status, packed.stderr).toBe(0);
    const [{ filename, files }] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
    const paths = files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining([
      'bin/whiskr.js', 'cli/index.ts', 'plugins/auth/cli.ts', 'tools/import-legacy/command.ts', 'core/reload-hooks.mjs', 'config/whiskr.json', 'clients/terminal/index.ts',
      'plugins/history/writer-worker.mjs', 'README.md', 'docs/protocol.md',
      ...['auth', 'channels', 'history', 'admin', 'bots'].map((p) => `plugins/${p}/index.ts`),
    ]));
    expect(paths.filter((p) => /\.test\.ts$|^(bench|test|scripts|core\/testing)\/|fixtures|testing\.ts$|\/bench\.ts$/.test(p))).toEqual([]);

    // Unpacked beside the project's dependencies, it serves: the shipped plugins load and answer.
    expect(spawnSync('tar', ['xzf', join(dir, filename), '-C', dir]).status).toBe(0);
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'package', 'node_modules'));
    const bin = join(dir, 'package', 'bin', 'whiskr.js');
    const config = join(dir, 'whiskr.json');
    writeFileSync(config, JSON.stringify({ database: { url: `sqlite:${join(dir, 'db.sqlite')}` } }));
    proc = await servePackaged(bin, config);
    const c = await TestClient.connect(proc.port);
    await c.ok('/format json');
    await c.ok('/register alice correct-horse-battery', 'login');
    await c.next('history');
    await c.ok('!roll 1d6', 'message');
    await c.next((e) => e.type === 'message' && e.from === 'dice');
    c.close();
    const client = spawnSync(process.execPath, [bin, 'client', '--help'], { encoding: 'utf8' });
    expect(client.status, client.stderr).toBe(0);
    expect(client.stdout).toMatch(/Usage: whiskr client/);
  }, 60_000);
});
