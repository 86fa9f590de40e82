import { describe, expect, it } from 'vitest';
import { Renderer, Encoded, helpColumns, inert } from './render.js';
import { event, type ServerEvent } from './events.js';

const r = new Renderer();
const msg = { id: '0000000010000', from: 'bob', text: 'hi alice', ts: '2026-11-25T14:02:03.000Z', kind: 'message' as const };

describe('text rendering', () => {
  it.each<[string, ServerEvent, string]>([
    ['channel message', event('message', { ...msg, channel: '#general' }), '[#general] <bob> hi alice'],
    ['action', event('message', { ...msg, channel: '#general', kind: 'action', text: 'waves' }), '[#general] * bob waves'],
    ['notice', event('message', { ...msg, channel: '#general', kind: 'notice', text: 'fyi' }), '[#general] -bob- fyi'],
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

/** What a terminal acts on: C0 controls except LF, DEL, C1 controls, bidi controls, line/paragraph separators. */
// eslint-disable-next-line no-control-regex
const ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('inert()', () => {
  it.each([
    ['clear screen', '\u001b[2J', '^[[2J'],
    ['colour', '\u001b[31mred\u001b[0m', '^[[31mred^[[0m'],
    ['window title (OSC … BEL)', '\u001b]0;pwned\u0007', '^[]0;pwned^G'],
    ['C1 CSI', '\u009b2J', '\\u009b2J'],
    ['carriage return (overwrite the line)', 'safe\rEVIL', 'safe^MEVIL'],
    ['line feed', 'a\nb', 'a^Jb'],
    ['backspace', 'ab\bc', 'ab^Hc'],
    ['NUL and DEL', '\u0000\u007f', '^@^?'],
    ['right-to-left override', 'abc\u202edcba', 'abc\\u202edcba'],
    ['isolates', '\u2066x\u2069', '\\u2066x\\u2069'],
    ['bidi marks', '\u200ex\u200f\u061c', '\\u200ex\\u200f\\u061c'],
    ['line separator', 'a\u2028! BANNED', 'a\\u2028! BANNED'],
    ['plain text is left alone', 'héllo wörld 💥 e\u0301 ✓ <b>&amp;', 'héllo wörld 💥 e\u0301 ✓ <b>&amp;'],
    ['SQL is just text', "'; DROP TABLE users; --", "'; DROP TABLE users; --"],
  ])('%s', (_name, input, shown) => {
    expect(inert(input)).toBe(shown);
    expect(ACTIVE.test(inert(input))).toBe(false);
  });

  it.each([
    ['zero-width space', 'a\u200bb', 'a\\u200bb'],
    ['byte order mark', '\ufeffhi', '\\ufeffhi'],
    ['word joiner', 'a\u2060b', 'a\\u2060b'],
    ['tag characters', 'flag\u{e0067}\u{e0062}\u{e007f}', 'flag\\u{e0067}\\u{e0062}\\u{e007f}'],
    ['ZWJ emoji stays', '👩\u200d💻', '👩\u200d💻'],
  ])('shows %s visibly', (_what, input, shown) => {
    expect(inert(input)).toBe(shown);
  });

  it('leaves nothing active for any string', () => {
    let all = '';
    for (let c = 0; c < 0x3000; c++) all += String.fromCharCode(c);
    expect(ACTIVE.test(inert(all))).toBe(false);
  });
});

describe('json escaping', () => {
  it('escapes U+2028, U+2029 and U+0085, which clients split lines on, and parses back to the same text', () => {
    const text = 'a\u2028b\u2029c\u0085d';
    const json = new Renderer().json(event('notice', { from: 'x', text }));
    expect(json).not.toMatch(/[\u2028\u2029\u0085]/);
    expect(json).toContain('a\\u2028b\\u2029c\\u0085d');
    expect(JSON.parse(json).text).toBe(text);
  });
});

describe('plugin wire formats (ctx.format)', () => {
  it('encodes an event once per format for every receiver, and adapts it per session when the format says so', async () => {
    const { LocalDelivery } = await import('./delivery.js');
    const { Session } = await import('./session.js');
    const r = new Renderer();
    let encodes = 0;
    r.addFormat('wire', { encode: (e) => { encodes++; return `${e.type} to NICK\n`; }, adapt: (enc, _e, s) => enc.replace('NICK', String(s.id)) });
    const written = new Map<number, string>();
    const sessions = [1, 2, 3].map(() => {
      const s = new Session({ remoteAddress: 'x', writableLength: 0, write() {}, end() {}, destroy() {} }, { outbox: { mark() {} } as never, renderer: r, maxOutputBytes: 1e6, overflow() {} });
      s.format = 'wire';
      s.write = (d) => { written.set(s.id, String(d)); };
      return s;
    });
    new LocalDelivery(r, () => [], () => sessions).toSessions(sessions, event('notice', { from: 'a', text: 'b' }));
    expect(encodes).toBe(1);
    expect([...written.values()]).toEqual(sessions.map((s) => `notice to ${s.id}\n`));
    // With a variant, sessions of the same variant share one adaptation and the very same bytes.
    let adapts = 0;
    r.addFormat('shared', { encode: (e) => `${e.type}\n`, variant: (_e, s) => s.id % 2, adapt: (enc, _e, s) => { adapts++; return `${s.id % 2} ${enc}`; } });
    const [a, b, c] = sessions.map((s) => { s.format = 'shared'; return s; });
    const enc = new Encoded(event('notice', { from: 'a', text: 'b' }), r);
    const forms = [a!, b!, c!].map((s) => enc.for(s));
    expect(forms.map(String)).toEqual([a!, b!, c!].map((s) => `${s.id % 2} notice\n`));
    expect(adapts).toBe(2);
    expect(a!.id % 2 === c!.id % 2 && forms[0] === forms[2]).toBe(true);
    expect(() => r.addFormat('wire', { encode: () => '' })).toThrow(/already/);
    expect(() => r.addFormat('json', { encode: () => '' })).toThrow(/already/);
  });
});
