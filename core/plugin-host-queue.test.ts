import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { definePlugin } from './index.js';
import type { PluginImporter } from './plugin-host.js';
import { TestServer, databaseKinds } from './testing/index.js';

/**
 * An importer of in-memory plugins whose loads take a while, and that records when each load starts and
 * ends: two operations of the host interleave when one's load starts while another's has not ended.
 */
function slowImporter(trace: string[]): PluginImporter {
  return async (location) => {
    const name = basename(location);
    trace.push(`start ${name}`);
    await new Promise((r) => setTimeout(r, 30));
    trace.push(`end ${name}`);
    return { default: definePlugin({ name, version: '1', defaults: { v: 0 }, async setup() {} }) };
  };
}

/** The trace's loads, each start directly followed by its end (nothing interleaved), as a list of names. */
function sequential(trace: string[]): string[] {
  const names: string[] = [];
  for (let i = 0; i < trace.length; i += 2) {
    expect([trace[i], trace[i + 1]]).toEqual([trace[i], trace[i]!.replace('start', 'end')]);
    names.push(trace[i]!.slice('start '.length));
  }
  return names;
}

let dir: string;
let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; rmSync(dir, { recursive: true, force: true }); });

describe.each(databaseKinds())('plugin host: one operation at a time (%s)', (db) => {
  async function start(trace: string[], plugins: Record<string, Record<string, unknown>>) {
    dir = mkdtempSync(join(tmpdir(), 'whiskr-queue-'));
    const configFile = join(dir, 'whiskr.json');
    writeFileSync(configFile, JSON.stringify({ plugins }));
    server = await TestServer.start({ db, plugins, configFile, importer: slowImporter(trace) });
    trace.length = 0;
    return (next: Record<string, Record<string, unknown>>) => writeFileSync(configFile, JSON.stringify({ plugins: next }));
  }

  it('two rehashes issued at once run one after the other: the second sees what the first did', async () => {
    const trace: string[] = [];
    const edit = await start(trace, { alpha: {} });
    edit({ alpha: {}, beta: {}, gamma: {} });
    const [first, second] = await Promise.all([server!.server.rehash(), server!.server.rehash()]);
    expect(first).toMatchObject({ loaded: ['beta', 'gamma'], reloaded: [], unloaded: [], failed: [] });
    expect(second).toMatchObject({ loaded: [], reloaded: [], unloaded: [], failed: [] });
    expect(sequential(trace)).toEqual(['beta', 'gamma']);
    expect(server!.server.plugins.list().map((p) => `${p.name} ${p.status}`)).toEqual(['alpha loaded', 'beta loaded', 'gamma loaded']);
  });

  it('a /plugin reload issued beside a rehash waits for the whole rehash', async () => {
    const trace: string[] = [];
    const edit = await start(trace, { alpha: {}, beta: { v: 1 }, gamma: { v: 1 } });
    edit({ alpha: {}, beta: { v: 2 }, gamma: { v: 2 } });
    const rehash = server!.server.rehash();
    const reload = server!.server.plugins.reload('alpha');
    await Promise.all([rehash, reload]);
    expect(await rehash).toMatchObject({ reloaded: ['beta', 'gamma'] });
    expect(sequential(trace)).toEqual(['beta', 'gamma', 'alpha']);
  });
});
