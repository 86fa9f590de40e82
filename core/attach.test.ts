import { afterEach, describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { TestServer } from './testing/index.js';
import { definePlugin } from './index.js';

/** A service other plugins register names with (as plugins register bots with the bots plugin's runner). */
interface NamesService { add(name: string): () => void }
declare module './plugin.js' {
  interface Services { names: NamesService }
}

/** What each loaded version of the provider holds: name → how many registrations. */
const versions: Map<string, number>[] = [];

const provider = definePlugin({
  name: 'provider', version: '1', defaults: {},
  setup(ctx) {
    const held = new Map<string, number>();
    versions.push(held);
    ctx.provide('names', {
      add(name) {
        held.set(name, (held.get(name) ?? 0) + 1);
        return () => { held.set(name, held.get(name)! - 1); };
      },
    });
  },
});

const user = definePlugin({
  name: 'user', version: '1', defaults: {}, dependencies: ['provider'],
  setup(ctx) { ctx.attach('names', (names) => names.add('u')); },
});

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; versions.length = 0; });

describe('ctx.attach: a registration with another plugin\'s service, owned by the registering plugin', () => {
  it('binds to the service\'s current version, follows its reloads, and is removed with its plugin', async () => {
    const definitions: Record<string, unknown> = { provider, user };
    server = await TestServer.start({
      plugins: { provider: {}, user: {} },
      importer: async (location) => ({ default: definitions[basename(location)] }),
    });
    expect(versions.map((v) => v.get('u'))).toEqual([1]);
    // The provider reloaded: its new version holds the registration (the old one's state goes with it).
    await server.server.plugins.reload('provider');
    expect(versions[1]!.get('u')).toBe(1);
    // The user reloaded: its new version registers, then the old one's registration is removed.
    await server.server.plugins.reload('user');
    expect(versions[1]!.get('u')).toBe(1);
    await server.server.plugins.unload('user');
    expect(versions[1]!.get('u')).toBe(0);
  });

  it('an optional attachment waits for the service and binds when its plugin is loaded', async () => {
    const waiting = definePlugin({
      name: 'waiting', version: '1', defaults: {}, optionalDependencies: ['provider'],
      setup(ctx) { ctx.attach('names', (names) => names.add('w')); },
    });
    const definitions: Record<string, unknown> = { provider, waiting };
    server = await TestServer.start({
      plugins: { waiting: {} },
      importer: async (location) => ({ default: definitions[basename(location)] }),
    });
    expect(versions).toHaveLength(0);
    await server.server.plugins.load('provider');
    expect(versions[0]!.get('w')).toBe(1);
    await server.server.plugins.unload('waiting');
    expect(versions[0]!.get('w')).toBe(0);
  });
});
