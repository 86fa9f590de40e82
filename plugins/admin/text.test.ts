import { describe, expect, it } from 'vitest';
import { event, type ServerEvent } from '../../core/index.js';
import { renderers, readableTime } from './text.js';
import { RateCounter } from './rate.js';
import { describeRehash } from './commands/rehash.js';
import './api.js';

const T = '2026-11-25T13:05:12.345Z';
const text = (e: ServerEvent): string | string[] => (renderers as Record<string, (e: ServerEvent) => string | string[]>)[e.type]!(e);

describe('admin: text rendering', () => {
  it.each<[string, ServerEvent, string | string[]]>([
    ['no bans', event('bans', { bans: [] }), '* No one is banned.'],
    ['bans', event('bans', { bans: [
      { user: 'bob', by: 'root', text: 'spam', until: T, created: T },
      { user: 'eve', by: 'root', text: '', until: null, created: T },
    ] }), ['* Bans (2):', '*   bob — until 2026-11-25 13:05:12 UTC, by root on 2026-11-25 13:05:12 UTC: spam', '*   eve — permanent, by root on 2026-11-25 13:05:12 UTC']],
    ['no mutes', event('mutes', { mutes: [] }), '* No one is muted.'],
    ['mutes', event('mutes', { mutes: [{ user: 'bob', by: 'root', text: '', until: null, created: T }] }), ['* Mutes (1):', '*   bob — until unmuted, by root']],
    ['plugins', event('plugins', { plugins: [
      { name: 'auth', version: '1.0.0', status: 'loaded', error: null },
      { name: 'flaky', version: '?', status: 'failed', error: 'flaky: boom' },
    ] }), ['* Plugins (2):', '*   auth         1.0.0    loaded', '*   flaky        ?        failed — flaky: boom']],
    ['users, some of them', event('users', { total: 3, users: [
      { name: 'root', role: 'admin', status: 'online', sessions: 2, created: T, lastSeen: T, banned: false, muted: false },
      { name: 'bob', role: 'user', status: 'offline', sessions: 0, created: T, lastSeen: null, banned: true, muted: true },
    ] }), ['* Users (2 of 3):', '*   @root                 online (2 sessions)', '*    bob                  last seen never [banned] [muted]']],
    ['stats', event('stats', {
      connections: 12, usersOnline: 9, messagesPerMinute: 340, messagesTotal: 10_000,
      memory: { rssBytes: 104_857_600, heapUsedBytes: 20_971_520 }, uptimeSeconds: 93_784,
      plugins: [{ name: 'auth', status: 'loaded' }, { name: 'history', status: 'unloaded' }], historyQueue: null, historyDropped: null,
    }), [
      '* Connections: 12; users online: 9', '* Messages: 340 in the last minute, 10000 in all',
      '* Memory: 100.0 MiB resident, 20.0 MiB heap; up 1d 2h 3m 4s', '* History queue: history not loaded', '* Plugins: auth loaded, history unloaded',
    ]],
    ['an empty audit', event('audit', { entries: [] }), '* The audit log is empty.'],
    ['audit', event('audit', { entries: [
      { id: 1, at: T, by: 'root', address: 'console', action: 'ban', target: 'bob', text: 'spam', detail: '2h, until x' },
      { id: 2, at: T, by: 'root', address: '10.0.0.1', action: 'rehash', target: null, text: '', detail: '' },
    ] }), ['* Audit (2):', '*   2026-11-25 13:05:12 UTC root@console ban bob: spam (2h, until x)', '*   2026-11-25 13:05:12 UTC root@10.0.0.1 rehash']],
  ])('%s', (_what, e, expected) => {
    expect(text(e)).toEqual(expected);
  });

  it('says what a rehash changed', () => {
    expect(describeRehash({ loaded: [], unloaded: [], reloaded: [], failed: [], needsRestart: [] })).toBe('Config re-read: no plugin changed.');
    expect(describeRehash({ loaded: ['bots'], unloaded: ['history'], reloaded: ['auth'], failed: ['x: no plugin at /p/x'], needsRestart: ['server.port'] }))
      .toBe('Config re-read: loaded bots; unloaded history; reloaded auth (options changed); failed: x: no plugin at /p/x; needs a restart to change: server.port.');
  });

  it('writes times for people in UTC', () => {
    expect(readableTime(Date.parse(T))).toBe('2026-11-25 13:05:12 UTC');
  });
});

describe('admin: messages per minute', () => {
  it('counts the last 60 seconds only, in constant memory', () => {
    const r = new RateCounter();
    const t0 = 1_000_000_000_000;
    for (let i = 0; i < 120; i++) r.add(t0 + i * 1000); // one a second for two minutes
    expect(r.lastMinute(t0 + 119_000)).toBe(60);
    expect(r.lastMinute(t0 + 150_000)).toBe(29);
    expect(r.lastMinute(t0 + 500_000)).toBe(0);
    expect(r.total).toBe(120);
    for (let i = 0; i < 500; i++) r.add(t0 + 600_000);
    expect(r.lastMinute(t0 + 600_500)).toBe(500);
  });
});
