import { afterEach, describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { TestServer } from './testing/index.js';
import { definePlugin, event, type PluginContext } from './index.js';

/**
 * The plugin contract: a plugin reaches the core only through its context's capabilities, and only a
 * plugin that says `privileged: true` gets the host handle. The `@ts-expect-error` lines are the type
 * half of the test (`tsc` fails if they compile); the commands are the run-time half.
 */
const ordinary = definePlugin({
  name: 'ordinary', version: '1', defaults: {},
  setup(ctx) {
    ctx.command({
      name: 'reach', usage: '/reach', summary: 'what this plugin can reach', access: 'anyone',
      run: () => event('ok', { command: 'reach', text: reachable(ctx) }),
    });
    // @ts-expect-error an ordinary plugin's context has no host
    void ctx.host;
  },
});

const keeper = definePlugin({
  name: 'keeper', version: '1', defaults: {}, privileged: true,
  setup(ctx) {
    ctx.command({
      name: 'keep', usage: '/keep', summary: 'what this plugin can reach, and the plugins', access: 'anyone',
      run: () => event('ok', { command: 'keep', text: `${reachable(ctx)}; plugins: ${ctx.host.plugins.list().map((p) => p.name).join(',')}` }),
    });
  },
});

function reachable(ctx: PluginContext<object>): string {
  return ['server', 'host', 'sendTo', 'bots', 'bot'].filter((k) => k in ctx).join(',') || 'none';
}

// Never called: only type-checked.
export function contractTypes(ctx: PluginContext<object>): void {
  // @ts-expect-error the context has no Server
  void ctx.server;
  // @ts-expect-error nor a bot runner: bots register with the bots plugin's service (ctx.attach)
  void ctx.bots;
  // @ts-expect-error a plugin does not fire the core's own hooks
  ctx.emit('server.shutdown');
  ctx.emit('message.sent', { id: '1', from: 'a', to: 'b', text: 'hi', ts: '', kind: 'message' });
  // @ts-expect-error nor waits on them
  void ctx.settle('user.login');
}

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

describe('the plugin contract', () => {
  it('gives an ordinary plugin no server and no host, and a privileged one the host handle', async () => {
    const definitions: Record<string, unknown> = { ordinary, keeper };
    server = await TestServer.start({
      plugins: { ordinary: {}, keeper: {} },
      importer: async (location) => ({ default: definitions[basename(location)] }),
    });
    const c = await server.json();
    expect(await c.ok('/reach')).toMatchObject({ text: 'none' });
    expect(await c.ok('/keep')).toMatchObject({ text: 'host; plugins: ordinary,keeper' });
  });
});
