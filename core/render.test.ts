import { describe, expect, it } from 'vitest';
import { Renderer, Encoded, helpColumns } from './render.js';
import { event, type ServerEvent } from './events.js';

const r = new Renderer();
const msg = { id: '0000000010000', from: 'bob', text: 'hi alice', ts: '2026-11-25T14:02:03.000Z', kind: 'message' as const };

describe('text rendering', () => {
  it.each<[string, ServerEvent, string]>([
    ['channel message', event('message', { ...msg, channel: '#general' }), '[#general] <bob> hi alice'],
    ['action', event('message', { ...msg, channel: '#general', kind: 'action', text: 'waves' }), '[#general] * bob waves'],
    ['direct message', event('message', { ...msg, to: 'alice', text: 'psst' }), '[bob -> alice] psst'],
    ['offline message carries its time', event('message', { ...msg, to: 'alice', offline: true }), '[bob -> alice 2026-11-25 14:02] hi alice'],
    ['bot message', event('message', { ...msg, channel: '#general', bot: true }), '[#general] <bob(bot)> hi alice'],
    ['error, code first', event('error', { code: 'NO_SUCH_CHANNEL', text: 'No channel #x.', command: 'join' }), '! NO_SUCH_CHANNEL: No channel #x.'],
    ['notice', event('notice', { from: 'root', text: 'maintenance at 22:00' }), '* [root] maintenance at 22:00'],
    ['shutdown with text', event('shutdown', { text: 'upgrade' }), '* Server shutting down: upgrade'],
    ['bye', event('bye', { text: '' }), '* Bye.'],
    ['an event type without a renderer', { type: 'frobs', count: 2 } as unknown as ServerEvent, '* frobs count=2'],
  ])('%s', (_name, e, line) => {
    expect(r.text(e)).toBe(line + '\n');
  });

  it('lays /help out in two columns; a usage too long for the column has its line, its summary below in the column', () => {
    expect(helpColumns([
      { usage: '/ping [token]', summary: 'Check that the server answers' },
      { usage: '/quit', summary: 'Leave' },
    ])).toEqual([
      '  /ping [token]  Check that the server answers',
      '  /quit          Leave',
    ]);
    const long = '/channel create <#name> [user…] | invite <#channel> <user> | delete <#channel>';
    const lines = helpColumns([{ usage: '/ping [token]', summary: 'Check' }, { usage: long, summary: 'Create, invite, delete' }, { usage: '/register [+token] <name> <password…>', summary: 'Make an account' }]);
    expect(lines).toEqual([
      `  ${'/ping [token]'.padEnd(36)}  Check`,
      `  ${long}`,
      `  ${' '.repeat(36)}  Create, invite, delete`,
      `  ${'/register [+token] <name> <password…>'}`,
      `  ${' '.repeat(36)}  Make an account`,
    ]);
  });

  it('starts every line of a multi-line event with a marker', () => {
    const out = r.text(event('help', { commands: [{ name: 'ping', usage: '/ping', summary: 'Check' }, { name: 'quit', usage: '/quit', summary: 'Leave' }] }));
    for (const line of out.trimEnd().split('\n')) expect(line).toMatch(/^[[*!]/);
  });

  it('neutralises control characters and bidi overrides anywhere in user text', () => {
    const out = r.text(event('message', { ...msg, channel: '#general', from: 'eve', text: 'x\u001b[2J\u0007y\u202ez\r\n' }));
    expect(out).toBe('[#general] <eve> x^[[2J^Gy\\u202ez^M^J\n');
    expect(out.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('lets plugins render their own events, newest registration first, and removes them', () => {
    const own = new Renderer();
    const remove = own.add('pong', (e) => `* PONG ${e.token}`);
    expect(own.text(event('pong', { token: 'a' }))).toBe('* PONG a\n');
    remove();
    expect(own.text(event('pong', { token: 'a' }))).toBe('* pong a\n');
  });
});

describe('json rendering', () => {
  it('is one object per line with its type, encoded once per format however often it is used', () => {
    const e = event('message', { ...msg, channel: '#general' });
    const enc = new Encoded(e, r);
    const first = enc.as('json');
    expect(enc.as('json')).toBe(first); // the same string, not re-encoded
    expect(JSON.parse(first)).toEqual(e);
    expect(first.endsWith('\n') && !first.slice(0, -1).includes('\n')).toBe(true);
  });
});
