import { afterEach, describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { TestServer } from './testing/index.js';
import { defineCommand, definePlugin, event } from './index.js';

/** A service another plugin may use. */
interface Counter { next(): number }
declare module './plugin.js' {
  interface Services { counter: Counter }
}

const counter = definePlugin({
  name: 'counter', version: '1', defaults: {},
  setup(ctx) {
    let n = 0;
    ctx.provide('counter', { next: () => ++n });
  },
});

/** Says the counter's next value, or `none` without it; `how` is how it reaches the service. */
const caller = (name: string, how: 'use' | 'service', declared: { dependencies?: string[]; optionalDependencies?: string[] }) => definePlugin({
  name, version: '1', defaults: {}, ...declared,
  setup(ctx) {
    ctx.command(defineCommand({
      name, usage: `/${name}`, summary: 'the counter', access: 'anyone',
      run() {
        const text = how === 'use' ? String(ctx.use('counter').next()) : String(ctx.service('counter')?.next() ?? 'none');
        return event('ok', { command: name, text });
      },
    }));
  },
});

const definitions: Record<string, unknown> = {
  counter,
  stranger: caller('stranger', 'use', {}),
  peeker: caller('peeker', 'service', {}),
  needy: caller('needy', 'use', { dependencies: ['counter'] }),
  hopeful: caller('hopeful', 'service', { optionalDependencies: ['counter'] }),
  attacher: definePlugin({ name: 'attacher', version: '1', defaults: {}, setup(ctx) { ctx.attach('counter', (c) => { c.next(); }); } }),
};
const importer = async (location: string) => ({ default: definitions[basename(location)] });

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

/** The reply to `/command`, as `ok: text` or `CODE: text`. */
const ask = async (command: string) => {
  const c = await server!.json();
  const reply = await c.request(`/${command}`);
  return reply.type === 'error' ? `${reply.code}: ${reply.text}` : `ok: ${reply.text}`;
};

describe('declared dependencies equal real use, checked by the host', () => {
  it('refuses ctx.use of a service whose plugin is not declared, naming both plugins (in tests and development)', async () => {
    server = await TestServer.start({ plugins: { counter: {}, stranger: {} }, importer, allowErrors: true });
    const reply = await ask('stranger');
    expect(reply).toMatch(/^INTERNAL: /);
    expect(server.errors.map((e) => e.message).join('\n')).toContain('plugin stranger uses the counter service of plugin counter without declaring counter');
  });

  it('refuses ctx.service of an undeclared plugin\'s service the same way', async () => {
    server = await TestServer.start({ plugins: { counter: {}, peeker: {} }, importer, allowErrors: true });
    expect(await ask('peeker')).toMatch(/^INTERNAL: /);
    expect(server.errors.map((e) => e.message).join('\n')).toContain('plugin peeker uses the counter service of plugin counter');
  });

  it('refuses to load a plugin that attaches to an undeclared plugin\'s service', async () => {
    server = await TestServer.start({ plugins: { counter: {}, attacher: {} }, importer, allowErrors: true });
    expect(server.server.plugins.get('attacher')).toMatchObject({ status: 'failed', error: expect.stringContaining('plugin attacher uses the counter service of plugin counter') });
  });

  it('lets a declared dependency be used', async () => {
    server = await TestServer.start({ plugins: { counter: {}, needy: {} }, importer });
    expect(await ask('needy')).toBe('ok: 1');
  });

  it('lets a declared optional dependency be used when it is loaded, and does without it when it is not', async () => {
    server = await TestServer.start({ plugins: { hopeful: {} }, importer });
    expect(await ask('hopeful')).toBe('ok: none');
    await server.server.plugins.load('counter');
    expect(await ask('hopeful')).toBe('ok: 1');
    await server.server.plugins.unload('counter');
    expect(await ask('hopeful')).toBe('ok: none');
  });

  it('in production, allows an undeclared use and logs it once as a warning', async () => {
    const saved = { NODE_ENV: process.env.NODE_ENV, VITEST: process.env.VITEST };
    process.env.NODE_ENV = 'production';
    delete process.env.VITEST;
    try {
      server = await TestServer.start({ plugins: { counter: {}, stranger: {} }, importer });
      expect(await ask('stranger')).toBe('ok: 1');
      expect(await ask('stranger')).toBe('ok: 2');
      const warnings = server.sink.records.filter((r) => r.level === 'warn' && r.message.includes('without declaring counter'));
      expect(warnings.map((w) => [w.scope, w.message])).toEqual([['stranger', expect.stringContaining('plugin stranger uses the counter service of plugin counter')]]);
    } finally {
      process.env.NODE_ENV = saved.NODE_ENV;
      if (saved.VITEST !== undefined) process.env.VITEST = saved.VITEST;
    }
  });
});

describe('declared dependencies go one way', () => {
  it('refuses to load a plugin whose declarations close a cycle with the loaded plugins, naming the way round', async () => {
    const defs: Record<string, unknown> = {
      first: definePlugin({ name: 'first', version: '1', defaults: {}, optionalDependencies: ['second'], setup() {} }),
      second: definePlugin({ name: 'second', version: '1', defaults: {}, optionalDependencies: ['third'], setup() {} }),
      third: definePlugin({ name: 'third', version: '1', defaults: {}, dependencies: ['first'], setup() {} }),
    };
    server = await TestServer.start({ plugins: { first: {}, second: {}, third: {} }, importer: async (location) => ({ default: defs[basename(location)] }), allowErrors: true });
    expect(server.server.plugins.get('third')).toMatchObject({ status: 'failed', error: 'third: the declared dependencies go round in a cycle: third → first → second → third' });
  });
});
