import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ServerProcess, TestClient } from './testing/index.js';

const coreUrl = pathToFileURL(join(import.meta.dirname, 'index.ts')).href;
let proc: ServerProcess | undefined;
let dir: string | undefined;
afterEach(async () => { await proc?.kill(); proc = undefined; if (dir) rmSync(dir, { recursive: true, force: true }); });

describe('whiskr serve', () => {
  it('picks up an edited helper file of a plugin on rehash (SIGHUP), with a client connected', async () => {
    dir = mkdtempSync(join(tmpdir(), 'whiskr-reload-'));
    mkdirSync(join(dir, 'greeter'));
    // A plugin folder outside the project declares itself an ES module, as the README says.
    writeFileSync(join(dir, 'greeter', 'package.json'), '{ "type": "module" }');
    writeFileSync(join(dir, 'greeter', 'index.ts'), `
import { definePlugin, event } from '${coreUrl}';
import { greeting } from './words.js';
export default definePlugin({ name: 'greeter', version: '1', defaults: { rev: 1 }, setup(ctx) {
  ctx.command({ name: 'greet', usage: '/greet', summary: 'greets', access: 'anyone', run: () => event('ok', { command: 'greet', text: greeting }) });
} });`);
    writeFileSync(join(dir, 'greeter', 'words.ts'), `export const greeting = 'hello one';\n`);
    const config = join(dir, 'whiskr.json');
    const write = (rev: number) => writeFileSync(config, JSON.stringify({ database: { url: `sqlite:${join(dir!, 'db.sqlite')}` }, plugins: { './greeter': { rev } } }));
    write(1);
    proc = await ServerProcess.start(['--config', config]);
    const c = await TestClient.connect(proc.port);
    await c.ok('/format json');
    expect(await c.ok('/greet')).toMatchObject({ text: 'hello one' });

    writeFileSync(join(dir, 'greeter', 'words.ts'), `export const greeting = 'hello two';\n`);
    write(2);
    proc.signal('SIGHUP');
    await proc.waitFor(/greeter reloaded/);
    expect(await c.ok('/greet')).toMatchObject({ text: 'hello two' });
    c.close();

    proc.signal('SIGTERM');
    expect(await proc.exited).toBe(0);
  });
});
