import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestServer, databaseKinds } from './testing/index.js';

const coreUrl = pathToFileURL(join(import.meta.dirname, 'index.ts')).href;

/** A plugin with a migration, a command, a hook and a service — written to disk so tests can edit it. */
function notesPlugin(opts: { greeting?: string; setupThrows?: boolean; dependencies?: string[]; commandName?: string } = {}): string {
  return `
import { definePlugin, event } from '${coreUrl}';
export default definePlugin({
  name: 'notes', version: '${opts.greeting ?? 'v1'}', dependencies: ${JSON.stringify(opts.dependencies ?? [])},
  defaults: { prefix: 'note' },
  migrations: [{ name: '001_notes', up: async (db) => { await db.schema.createTable('notes', (t) => { t.increments('id'); t.string('text', 200).notNullable(); }); } }],
  async setup(ctx) {
    ${opts.setupThrows ? "throw new Error('setup exploded');" : ''}
    ctx.command({ name: '${opts.commandName ?? 'note'}', usage: '/note <text…>', summary: 'keep a note', access: 'anyone', minArgs: 1,
      async run({ args }) {
        await ctx.db('notes').insert({ text: args.rest(0) });
        const [{ n }] = await ctx.db('notes').count({ n: '*' });
        return event('ok', { command: 'note', text: '${opts.greeting ?? 'v1'}: ' + ctx.config.prefix + ' #' + Number(n) });
      } });
    ctx.hook('session.open', (s) => s.send(event('notice', { from: 'notes', text: '${opts.greeting ?? 'v1'} says hi' })));
  },
});
`;
}

let dir: string;
let server: TestServer | undefined;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'whiskr-plugins-')); mkdirSync(join(dir, 'notes')); });
afterEach(async () => { await server?.stop(); server = undefined; rmSync(dir, { recursive: true, force: true }); });

const write = (source: string) => writeFileSync(join(dir, 'notes', 'index.ts'), source);

describe.each(databaseKinds())('plugin host (%s)', (db) => {
  it('loads a plugin from a path, runs its migrations, and its command works', async () => {
    write(notesPlugin());
    server = await TestServer.start({ db, plugins: { [join(dir, 'notes')]: { prefix: 'memo' } } });
    const c = await server.json();
    expect(await c.ok('/note buy milk')).toMatchObject({ text: 'v1: memo #1' });
    expect(server.server.plugins.get('notes')).toMatchObject({ status: 'loaded', version: 'v1', error: null });
  });

  it('unloads with connections open: the command is gone, the connection is not', async () => {
    write(notesPlugin());
    server = await TestServer.start({ db, plugins: { [join(dir, 'notes')]: {} } });
    const c = await server.json();
    await c.ok('/note one');
    await server.server.plugins.unload('notes');
    expect((await c.request('/note two')).code).toBe('UNKNOWN_COMMAND');
    expect(await c.request('/ping still', 'pong')).toMatchObject({ token: 'still' });
    const fresh = await server.json();
    expect(fresh.events.some((e) => e.type === 'notice')).toBe(false);
    await server.server.plugins.load(join(dir, 'notes'));
    expect(await c.ok('/note three')).toMatchObject({ text: 'v1: note #2' });
  });

  it('reloads an edited plugin while connected; its stored data stays', async () => {
    write(notesPlugin());
    server = await TestServer.start({ db, plugins: { [join(dir, 'notes')]: {} } });
    const c = await server.json();
    await c.ok('/note first');
    write(notesPlugin({ greeting: 'v2' }));
    await server.server.plugins.reload('notes');
    expect(await c.ok('/note second')).toMatchObject({ text: 'v2: note #2' });
    expect(server.server.plugins.get('notes')?.version).toBe('v2');
    const other = await server.connect();
    await other.line(/v2 says hi/);
    expect(other.lines.some((l) => l.includes('v1 says hi'))).toBe(false);
  });

  it('keeps the running version when the new one fails, and says what failed', async () => {
    write(notesPlugin());
    server = await TestServer.start({ db, plugins: { [join(dir, 'notes')]: {} }, allowErrors: true });
    const c = await server.json();
    write(notesPlugin({ greeting: 'v2', setupThrows: true }));
    await expect(server.server.plugins.reload('notes')).rejects.toThrow(/notes: setup exploded/);
    expect(await c.ok('/note still works')).toMatchObject({ text: 'v1: note #1' });
    write('export default {{ this is not typescript');
    await expect(server.server.plugins.reload('notes')).rejects.toThrow(/cannot import/);
    expect(await c.ok('/note again')).toMatchObject({ text: 'v1: note #2' });
    expect(server.server.plugins.get('notes')).toMatchObject({ status: 'loaded', version: 'v1' });
    expect(server.server.plugins.get('notes')?.error).toMatch(/cannot import/);
  });

  it('refuses a plugin whose dependency is missing, naming both', async () => {
    write(notesPlugin({ dependencies: ['calendar'] }));
    server = await TestServer.start({ db, plugins: {}, allowErrors: true });
    await expect(server.server.plugins.load(join(dir, 'notes'))).rejects.toThrow('notes needs plugin calendar, which is not loaded');
    expect(server.server.plugins.get('notes')).toMatchObject({ status: 'failed' });
  });

  it("refuses a command name another plugin owns, and the server's own", async () => {
    write(notesPlugin({ commandName: 'ping' }));
    server = await TestServer.start({ db, plugins: {}, allowErrors: true });
    await expect(server.server.plugins.load(join(dir, 'notes'))).rejects.toThrow(/command ping is already registered by core/);
    const c = await server.json();
    expect(await c.request('/ping ok', 'pong')).toMatchObject({ token: 'ok' });
  });
});

describe('plugin config', () => {
  it('refuses unknown or mistyped options with the setting named', async () => {
    write(notesPlugin());
    server = await TestServer.start({ plugins: {}, allowErrors: true });
    await expect(server.server.plugins.load(join(dir, 'notes'), { prefx: 'x' })).rejects.toThrow(/unknown setting plugins\..*prefx/);
    await expect(server.server.plugins.load(join(dir, 'notes'), { prefix: 3 })).rejects.toThrow(/prefix must be a string/);
    // Names every object has are not settings either (a JSON file can hold "__proto__" as a key).
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      await expect(server.server.plugins.load(join(dir, 'notes'), JSON.parse(`{"${key}": {}}`))).rejects.toThrow(new RegExp(`unknown setting plugins\\..*${key}`));
    }
  });
});
