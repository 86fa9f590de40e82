import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { definePlugin, event, type PluginDefinition } from '../../core/index.js';
import { TestServer, databaseKinds, PASSWORD, adminClient, adminServerOptions } from '../../core/testing/index.js';

let server: TestServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const CHAT = { history: {}, channels: {} };

/** A plugin whose next load fails, to show that the running version stays. */
function flaky(version: string, broken: boolean): PluginDefinition<object> {
  return definePlugin({
    name: 'flaky', version, defaults: {},
    setup(ctx) {
      ctx.command({ name: 'flaky', usage: '/flaky', summary: 'says its version', access: 'anyone', run: () => event('ok', { command: 'flaky', text: `version ${version}` }) });
      if (broken) throw new Error('the new version cannot start: missing setting');
    },
  });
}

describe.each(databaseKinds())('admin: plugin control (%s)', (db) => {
  it('/plugin unload history: chat goes on without it; /plugin load brings it (and /history) back', async () => {
    server = await TestServer.start(adminServerOptions(db, CHAT));
    const root = await adminClient(server);
    const bob = await server.user('bob', PASSWORD);
    await bob.next('history');
    await bob.ok('kept', 'message');
    expect((await root.ok('/plugin unload history')).text).toBe('Unloaded history.');
    expect((await root.ok('/plugins', 'plugins')).plugins.find((p: { name: string }) => p.name === 'history')).toMatchObject({ status: 'unloaded', error: null });
    expect((await root.ok('/stats', 'stats')).historyQueue).toBeNull();
    await bob.fails('/history', 'UNKNOWN_COMMAND');
    await bob.ok('not kept', 'message');
    await root.next((e) => e.type === 'message' && e.text === 'not kept');

    expect((await root.ok('/plugin load history')).text).toBe('Loaded history 1.0.0.');
    await bob.ok('kept again', 'message');
    const texts = async () => (await bob.ok('/history #general', 'history')).messages.map((m: { text: string }) => m.text);
    expect(await texts()).toEqual(['kept', 'kept again']);
    expect((await root.ok('/plugin reload history')).text).toBe('Reloaded history 1.0.0.');
    expect(await texts()).toEqual(['kept', 'kept again']);
    expect(await root.ok('/stats', 'stats')).toMatchObject({ historyQueue: 0, historyDropped: 0, messagesPerMinute: 3, messagesTotal: 3 });
    const { entries } = await root.ok('/audit', 'audit');
    expect(entries.map((e: { target: string; detail: string }) => `${e.target} ${e.detail}`)).toEqual(['history unload', 'history load', 'history reload']);
  });

  it('refuses what cannot be done with PLUGIN_FAILED and the reason; paths and unknown operations with BAD_ARGUMENTS', async () => {
    server = await TestServer.start(adminServerOptions(db, CHAT));
    const root = await adminClient(server);
    expect((await root.fails('/plugin unload auth', 'PLUGIN_FAILED')).text).toMatch(/auth cannot be unloaded: .*admin.* depend/);
    expect((await root.fails('/plugin unload admin', 'PLUGIN_FAILED')).text).toMatch(/admin cannot unload itself/);
    expect((await root.fails('/plugin load history', 'PLUGIN_FAILED')).text).toBe('history is already loaded (/plugin reload history loads it again)');
    expect((await root.fails('/plugin load nosuch', 'PLUGIN_FAILED')).text).toMatch(/nosuch/);
    await root.fails('/plugin reload nosuch', 'PLUGIN_FAILED');
    await root.fails('/plugin unload nosuch', 'PLUGIN_FAILED');
    await root.fails('/plugin load ../../etc', 'BAD_ARGUMENTS');
    await root.fails('/plugin load /tmp/evil', 'BAD_ARGUMENTS');
    await root.fails('/plugin frob history', 'BAD_ARGUMENTS');
    await root.fails('/plugin load', 'BAD_ARGUMENTS');
    expect((await root.ok('/plugins', 'plugins')).plugins.every((p: { status: string }) => p.status === 'loaded')).toBe(true);
  });

  it('a reload that fails keeps the running version, says why, and shows the error in /plugins', async () => {
    let broken = false;
    const real = (location: string) => import(pathToFileURL(join(location, 'index.ts')).href);
    server = await TestServer.start({
      ...adminServerOptions(db, { flaky: {} }),
      importer: async (location) => (location.endsWith('/flaky') ? { default: flaky(broken ? '2' : '1', broken) } : real(location)),
    });
    const root = await adminClient(server);
    expect((await root.ok('/flaky')).text).toBe('version 1');
    broken = true;
    const e = await root.fails('/plugin reload flaky', 'PLUGIN_FAILED');
    expect(e.text).toBe('flaky: the new version cannot start: missing setting');
    expect((await root.ok('/flaky')).text).toBe('version 1');
    expect((await root.ok('/plugins', 'plugins')).plugins.find((p: { name: string }) => p.name === 'flaky'))
      .toEqual({ name: 'flaky', version: '1', status: 'loaded', error: 'flaky: the new version cannot start: missing setting' });
    broken = false;
    await root.ok('/plugin reload flaky');
    expect((await root.ok('/flaky')).text).toBe('version 1');
    server.sink.records.length = 0; // the failed setup was logged as an error, as it should be
  });

  it('/rehash after the config file drops a plugin unloads it, and loads it when it is back', async () => {
    dir = mkdtempSync(join(tmpdir(), 'whiskr-admin-'));
    const configFile = join(dir, 'whiskr.json');
    const options = adminServerOptions(db, CHAT, { configFile });
    server = await TestServer.start(options);
    const write = (plugins: Record<string, unknown>) => writeFileSync(configFile, JSON.stringify({
      server: { host: '127.0.0.1', port: 0 }, flood: { enabled: false }, log: { level: 'warn' },
      database: { url: server!.databaseUrl }, plugins,
    }));
    const { history: _dropped, ...withoutHistory } = options.plugins!;
    write(withoutHistory);
    const root = await adminClient(server);
    const bob = await server.user('bob', PASSWORD);
    expect((await root.ok('/rehash')).text).toBe('Config re-read: unloaded history.');
    expect((await root.ok('/plugins', 'plugins')).plugins.map((p: { name: string; status: string }) => `${p.name} ${p.status}`))
      .toEqual(['auth loaded', 'history unloaded', 'channels loaded', 'admin loaded']);
    await bob.fails('/history', 'UNKNOWN_COMMAND');
    await bob.ok('chat still works', 'message');
    expect((await root.ok('/rehash')).text).toBe('Config re-read: no plugin changed.');

    write(options.plugins!);
    expect((await root.ok('/rehash')).text).toBe('Config re-read: loaded history.');
    await bob.ok('/history', 'history');

    writeFileSync(configFile, '{ "plugins": ');
    expect((await root.fails('/rehash', 'PLUGIN_FAILED')).text).toMatch(/^The config was not changed: config .* is not valid JSON/);
    write({ ...options.plugins, nosuch: {} });
    expect((await root.fails('/rehash', 'PLUGIN_FAILED')).text).toMatch(/^Config re-read: failed: .*nosuch/);
    expect((await root.ok('/audit', 'audit')).entries.map((e: { action: string; detail: string }) => e.detail)).toEqual([
      'Config re-read: unloaded history.', 'Config re-read: no plugin changed.', 'Config re-read: loaded history.',
      expect.stringMatching(/^refused: /), expect.stringMatching(/^Config re-read: failed: .*nosuch/),
    ]);
    server.sink.records.length = 0; // the plugin that failed to load was logged as an error, as it should be
  });
});
