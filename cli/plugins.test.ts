import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WHISKR_BIN } from '../core/testing/index.js';

const coreUrl = pathToFileURL(join(import.meta.dirname, '..', 'core', 'index.ts')).href;
let dir: string | undefined;
afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); dir = undefined; });

function whiskr(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WHISKR_BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe("a plugin's command-line commands (its cli.ts)", () => {
  it('are offered when the config names the plugin, and run against the booted plugins', async () => {
    dir = mkdtempSync(join(tmpdir(), 'whiskr-cli-'));
    mkdirSync(join(dir, 'greeter'));
    writeFileSync(join(dir, 'greeter', 'package.json'), '{ "type": "module" }');
    writeFileSync(join(dir, 'greeter', 'index.ts'), `
import { definePlugin } from '${coreUrl}';
export default definePlugin({ name: 'greeter', version: '1', defaults: {}, setup() {} });`);
    writeFileSync(join(dir, 'greeter', 'cli.ts'), `
import { definePluginCli } from '${coreUrl}';
export default definePluginCli(({ command, withServer }) => [
  command('greet').description('greet someone').argument('<name>').action(async (name, opts) => {
    await withServer(opts, async (server) => { console.log('hello ' + name + ', auth ' + (server.service('auth') ? 'loaded' : 'missing')); });
  }),
]);`);
    const config = join(dir, 'whiskr.json');
    const database = `sqlite:${join(dir, 'db.sqlite')}`;
    writeFileSync(config, JSON.stringify({ database: { url: database }, plugins: { auth: {}, './greeter': {} } }));

    expect(await whiskr(['greet', 'bob', '--config', config])).toMatchObject({ code: 0, out: expect.stringContaining('hello bob, auth loaded') });
    expect((await whiskr(['--config', config, '--help'])).out).toMatch(/greet \[options\] <name>\s+greet someone/);
    // Not named by the config: not offered.
    writeFileSync(config, JSON.stringify({ database: { url: database }, plugins: { auth: {} } }));
    const without = await whiskr(['greet', 'bob', '--config', config]);
    expect(without.code).toBe(1);
    expect(without.out).toContain("unknown command 'greet'");
  });
});
