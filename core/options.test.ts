import { afterEach, describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { TestServer } from './testing/index.js';
import { definePlugin, group, int, list, num, oneOf, options, str } from './index.js';

/** One declaration with every kind of option, as a plugin's config.ts has it. */
const declared = options({
  replay: int({ min: 0, default: 50 }),
  scryptR: int({ min: 1, max: 32, default: 8 }),
  sweepSeconds: int({ min: 1, default: 60, error: 'must be at least 1' }),
  flushIntervalMs: num({ min: 0, default: 50 }),
  creation: oneOf(['anyone', 'admins'], 'anyone'),
  autoJoin: list(['#general'] as string[], { item: (c) => (c.startsWith('#') ? undefined : `${JSON.stringify(c)} is not a channel name`) }),
  timeZone: str('UTC', { valid: (z, path) => (z === 'UTC' || z.includes('/') ? undefined : `${path}: unknown time zone ${JSON.stringify(z)}`) }),
  limits: group({ timeoutMs: num({ min: 1, default: 5_000 }), maxLines: int({ min: 1, default: 8 }) }),
  shutdownSeconds: int({ min: 0, default: 3 }),
  maxShutdownSeconds: int({ min: 0, default: 3600 }),
}, (c, path) => (c.shutdownSeconds > c.maxShutdownSeconds ? `${path}.shutdownSeconds (${c.shutdownSeconds}) is more than maxShutdownSeconds (${c.maxShutdownSeconds})` : undefined));

const validate = (given: Record<string, unknown>) => () => declared.validate({ ...declared.defaults, ...given } as typeof declared.defaults, 'plugins.demo');

describe('options(): a plugin\'s settings declared once, ranges included', () => {
  it('has the defaults, typed', () => {
    const d = declared.defaults;
    expect(d).toEqual({
      replay: 50, scryptR: 8, sweepSeconds: 60, flushIntervalMs: 50, creation: 'anyone', autoJoin: ['#general'], timeZone: 'UTC',
      limits: { timeoutMs: 5_000, maxLines: 8 }, shutdownSeconds: 3, maxShutdownSeconds: 3600,
    });
    // The types follow the declaration (checked by tsc): a oneOf is its union, a group its record.
    const creation: 'anyone' | 'admins' = d.creation;
    const lines: number = d.limits.maxLines;
    expect([creation, lines]).toEqual(['anyone', 8]);
  });

  it.each([
    [{}],
    [{ replay: 0 }],
    [{ scryptR: 32 }],
    [{ flushIntervalMs: 0.5 }],
    [{ creation: 'admins' }],
    [{ autoJoin: [] }],
    [{ autoJoin: ['#a', '#b'] }],
    [{ timeZone: 'Europe/Paris' }],
    [{ limits: { timeoutMs: 1, maxLines: 1 } }],
    [{ shutdownSeconds: 3600 }],
  ])('takes %j', (given) => {
    expect(validate(given)).not.toThrow();
  });

  it.each([
    [{ replay: -1 }, 'plugins.demo.replay must be a whole number ≥ 0, not -1'],
    [{ replay: 2.5 }, 'plugins.demo.replay must be a whole number ≥ 0, not 2.5'],
    [{ scryptR: 33 }, 'plugins.demo.scryptR must be a whole number from 1 to 32, not 33'],
    [{ scryptR: 0 }, 'plugins.demo.scryptR must be a whole number from 1 to 32, not 0'],
    [{ sweepSeconds: 0 }, 'plugins.demo.sweepSeconds must be at least 1'],
    [{ flushIntervalMs: -0.5 }, 'plugins.demo.flushIntervalMs must be a number ≥ 0, not -0.5'],
    [{ flushIntervalMs: Number.NaN }, 'plugins.demo.flushIntervalMs must be a number ≥ 0, not NaN'],
    [{ creation: 'nobody' }, 'plugins.demo.creation must be "anyone" or "admins", not "nobody"'],
    [{ autoJoin: ['#ok', 'general'] }, 'plugins.demo.autoJoin: "general" is not a channel name'],
    [{ timeZone: 'Mars' }, 'plugins.demo.timeZone: unknown time zone "Mars"'],
    [{ limits: { timeoutMs: 0, maxLines: 8 } }, 'plugins.demo.limits.timeoutMs must be a number ≥ 1, not 0'],
    [{ limits: { timeoutMs: 5, maxLines: 0 } }, 'plugins.demo.limits.maxLines must be a whole number ≥ 1, not 0'],
    [{ shutdownSeconds: 10, maxShutdownSeconds: 5 }, 'plugins.demo.shutdownSeconds (10) is more than maxShutdownSeconds (5)'],
  ])('refuses %j: %s', (given, message) => {
    expect(validate(given)).toThrow(message);
  });
});

describe('the host validates a plugin\'s options from its declaration, at load and at rehash', () => {
  let server: TestServer | undefined;
  afterEach(async () => { await server?.stop(); server = undefined; });

  const demo = definePlugin({
    name: 'demo', version: '1', options: options({ replay: int({ min: 0, default: 50 }), mode: oneOf(['a', 'b'], 'a') }),
    setup(ctx) {
      const replay: number = ctx.config.replay;
      ctx.provide('demoReplay', () => replay);
    },
  });
  const importer = async (location: string) => ({ default: { demo }[basename(location)] });

  it('refuses a bad value at load, naming the setting, and keeps the running version at a reload with one', async () => {
    server = await TestServer.start({ plugins: { demo: { replay: -1 } }, importer, allowErrors: true });
    expect(server.server.plugins.get('demo')).toMatchObject({ status: 'failed', error: 'demo: plugins.demo.replay must be a whole number ≥ 0, not -1' });
    await server.server.plugins.load('demo', { replay: 7 });
    expect(server.server.plugins.service('demoReplay')!()).toBe(7);
    await expect(server.server.plugins.reload('demo', { mode: 'c' })).rejects.toThrow('demo: plugins.demo.mode must be "a" or "b", not "c"');
    expect(server.server.plugins.service('demoReplay')!()).toBe(7);
    // A type error is still mergeChecked's, as before.
    await expect(server.server.plugins.reload('demo', { replay: 'x' })).rejects.toThrow('demo: bad config: plugins.demo.replay must be a number, not "x"');
  });
});

declare module './plugin.js' {
  interface Services { demoReplay: () => number }
}
