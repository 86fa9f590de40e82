import { describe, expect, it } from 'vitest';
import { ChatModel, mentions, type ApplyContext } from './model.js';
import { MAX_ENTRIES } from './conversation.js';
import type { WireEvent } from './events.js';

let seq = 0;
const id = (n: number) => n.toString(36).padStart(13, '0');
const ts = '2026-11-25T12:00:00.000Z';
const msg = (from: string, where: { channel?: string; to?: string }, text: string, n = ++seq, extra: Record<string, unknown> = {}): WireEvent =>
  ({ type: 'message', id: id(n), from, ...where, text, ts, kind: 'message', ...extra });

/** A model logged in as alice, in #general with bob, plus the events of a case. */
function run(events: (WireEvent | [WireEvent, ApplyContext])[]): ChatModel {
  const m = new ChatModel();
  m.apply({ type: 'login', user: 'alice', role: 'user' });
  m.apply({ type: 'join', channel: '#general', user: 'alice', topic: 'hi', members: ['alice', 'bob'] });
  for (const e of events) Array.isArray(e) ? m.apply(e[0], e[1]) : m.apply(e);
  return m;
}

const ids = (m: ChatModel, name: string) => m.get(name)!.entries.flatMap((e) => (e.kind === 'message' ? [e.id] : []));

describe('client model: unread counts and mentions', () => {
  it.each([
    { name: 'a message in the current channel is not unread', events: [msg('bob', { channel: '#general' }, 'hello')], conv: '#general', unread: 0, mentions: 0 },
    { name: 'a message in another channel is unread', events: [{ type: 'join', channel: '#dev', user: 'alice', members: ['alice'] }, msg('bob', { channel: '#dev' }, 'x')], select: '#general', conv: '#dev', unread: 1, mentions: 0 },
    { name: 'my name in another channel is a mention', events: [{ type: 'join', channel: '#dev', user: 'alice', members: ['alice'] }, msg('bob', { channel: '#dev' }, 'ping ALICE: look')], select: '#general', conv: '#dev', unread: 1, mentions: 1 },
    { name: 'a name that only starts with mine is not a mention', events: [{ type: 'join', channel: '#dev', user: 'alice', members: ['alice'] }, msg('bob', { channel: '#dev' }, 'alicexyz and malice')], select: '#general', conv: '#dev', unread: 1, mentions: 0 },
    { name: 'a direct message opens a conversation and counts as a mention', events: [msg('bob', { to: 'alice' }, 'psst')], conv: 'bob', unread: 1, mentions: 1 },
    { name: 'my own messages are never unread', events: [msg('alice', { to: 'bob' }, 'hey bob')], conv: 'bob', unread: 0, mentions: 0 },
    { name: 'the join replay is not unread', events: [[{ type: 'history', target: '#dev', messages: [msg('bob', { channel: '#dev' }, 'old alice')] }, { history: 'replay' }] as [WireEvent, ApplyContext]], conv: '#dev', unread: 0, mentions: 0 },
    { name: 'messages fetched after a reconnect are unread', events: [{ type: 'join', channel: '#dev', user: 'alice', members: ['alice'] }, [{ type: 'history', target: '#dev', messages: [msg('bob', { channel: '#dev' }, 'a'), msg('bob', { channel: '#dev' }, 'b alice')] }, { history: 'catchup', quiet: true }] as [WireEvent, ApplyContext]], select: '#general', conv: '#dev', unread: 2, mentions: 1 },
    { name: 'offline direct messages at login are unread', events: [msg('carol', { to: 'alice' }, 'while you were out', undefined, { offline: true })], conv: 'carol', unread: 1, mentions: 1 },
  ])('$name', ({ events, select, conv, unread, mentions: m }) => {
    const model = run(events as (WireEvent | [WireEvent, ApplyContext])[]);
    if (select) model.select(select);
    expect(model.get(conv)).toBeDefined();
    expect({ unread: model.get(conv)!.unread, mentions: model.get(conv)!.mentions }).toEqual({ unread, mentions: m });
  });

  it('signals a mention or a direct message outside the current conversation (for the bell)', () => {
    const m = run([]);
    const rung: string[] = [];
    m.onMention = (conv) => rung.push(conv.name);
    m.apply(msg('bob', { channel: '#general' }, 'alice: here'));
    m.apply(msg('bob', { to: 'alice' }, 'psst'));
    m.apply(msg('bob', { to: 'alice' }, 'no mention needed in a DM'));
    m.apply({ type: 'join', channel: '#dev', user: 'alice', members: ['alice'] });
    m.select('#general');
    m.apply(msg('bob', { channel: '#dev' }, 'nothing for you'));
    expect(rung).toEqual(['bob', 'bob']);
  });

  it('selecting a conversation clears its unread count and mentions', () => {
    const m = run([msg('bob', { to: 'alice' }, 'one'), msg('bob', { to: 'alice' }, 'two')]);
    expect(m.get('bob')!.unread).toBe(2);
    m.select('BOB');
    expect(m.get('bob')!).toMatchObject({ unread: 0, mentions: 0 });
    expect(m.sidebar().find((i) => i.key === 'bob')!.current).toBe(true);
  });

  it.each([
    ['alice', 'hi alice', true], ['alice', 'Alice: look', true], ['alice', '@alice!', true], ['alice', 'hi alice.', true],
    ['alice', 'alices', false], ['alice', 'malice', false], ['al.ce', 'alice', false], ['al.ce', 'hey al.ce', true], ['bob', '', false],
  ])('mentions(%s, %j) = %s', (me, text, want) => {
    expect(mentions(me, text)).toBe(want);
  });
});

describe('client model: messages per target without duplicates or gaps', () => {
  it('keeps each id once however it arrives, in id order', () => {
    const a = msg('bob', { channel: '#general' }, 'a', 100);
    const b = msg('bob', { channel: '#general' }, 'b', 101);
    const c = msg('bob', { channel: '#general' }, 'c', 102);
    const d = msg('bob', { channel: '#general' }, 'd', 103);
    const m = run([
      a, b,
      [{ type: 'history', target: '#general', messages: [a, b] }, { history: 'replay' }],
      [{ type: 'history', target: '#general', messages: [b, c, d] }, { history: 'catchup' }],
      c,
    ]);
    expect(ids(m, '#general')).toEqual([id(100), id(101), id(102), id(103)]);
    expect(m.get('#general')!.lastId).toBe(id(103));
  });

  it('puts older messages fetched when scrolling up before the others', () => {
    const m = run([
      msg('bob', { channel: '#general' }, 'new', 50),
      [{ type: 'history', target: '#general', messages: [msg('bob', { channel: '#general' }, 'x', 10), msg('bob', { channel: '#general' }, 'y', 11)], more: false }, { history: 'older' }],
    ]);
    expect(ids(m, '#general')).toEqual([id(10), id(11), id(50)]);
    expect(m.get('#general')!).toMatchObject({ firstId: id(10), lastId: id(50), moreBefore: false });
  });

  it('puts the history replayed on join before the "You joined" line, and later live messages after it', () => {
    const m = new ChatModel();
    m.apply({ type: 'login', user: 'alice', role: 'user' });
    m.apply({ type: 'join', channel: '#dev', user: 'alice', members: ['alice'] });
    m.apply({ type: 'history', target: '#dev', messages: [msg('bob', { channel: '#dev' }, 'one', 1), msg('bob', { channel: '#dev' }, 'two', 2)] });
    m.apply(msg('bob', { channel: '#dev' }, 'three', 3));
    expect(m.get('#dev')!.entries.map((e) => e.text)).toEqual(['one', 'two', 'You joined #dev', 'three']);
  });

  it('files a direct message under the other person, whoever sent it', () => {
    const m = run([msg('alice', { to: 'Bob' }, 'mine', 1), msg('bob', { to: 'alice' }, 'theirs', 2)]);
    expect(ids(m, 'bob')).toEqual([id(1), id(2)]);
    expect(m.get('bob')!.entries.map((e) => (e.kind === 'message' ? e.self : null))).toEqual([true, false]);
  });

  it('keeps a bounded scrollback', () => {
    const events: WireEvent[] = [];
    for (let i = 1; i <= MAX_ENTRIES + 10; i++) events.push(msg('bob', { channel: '#general' }, String(i), 1000 + i));
    const m = run(events);
    const conv = m.get('#general')!;
    expect(conv.entries.length).toBe(MAX_ENTRIES);
    expect(conv.moreBefore).toBe(true);
    expect(conv.lastId).toBe(id(1000 + MAX_ENTRIES + 10));
  });

  it('marks bot replies and their authors', () => {
    const m = run([msg('dice', { channel: '#general' }, 'rolled 7', undefined, { bot: true })]);
    const e = m.get('#general')!.entries.at(-1)!;
    expect(e.kind === 'message' && e.bot).toBe(true);
    expect(m.users.get('dice')!.bot).toBe(true);
  });
});

describe('client model: channels, members and presence', () => {
  it.each([
    { name: 'someone joins', events: [{ type: 'join', channel: '#general', user: 'carol' }], members: ['alice', 'bob', 'carol'] },
    { name: 'someone leaves', events: [{ type: 'part', channel: '#general', user: 'bob', text: 'bye' }], members: ['alice'] },
    { name: '/who replaces the list and marks bots and presence', events: [{ type: 'who', channel: '#general', users: [
      { name: 'alice', status: 'online', role: 'user', bot: false }, { name: 'dice', status: 'online', role: 'user', bot: true },
      { name: 'bob', status: 'away', role: 'admin', bot: false }] }], members: ['alice', 'bob', 'dice(bot)'] },
  ])('$name', ({ events, members }) => {
    const m = run(events as WireEvent[]);
    expect(m.membersOf('#general').map((u) => u.name + (u.bot ? '(bot)' : ''))).toEqual(members);
  });

  it('lists the people online for the new-channel dialog: not me, not bots, not offline', () => {
    const m = run([{ type: 'who', users: [
      { name: 'alice', status: 'online', role: 'user', bot: false }, { name: 'dice', status: 'online', role: 'user', bot: true },
      { name: 'Carol', status: 'away', role: 'user', bot: false }, { name: 'bob', status: 'online', role: 'user', bot: false }] },
    { type: 'presence', user: 'dave', status: 'offline' }]);
    expect(m.onlineUsers()).toEqual(['bob', 'Carol']);
  });

  it('tracks presence changes', () => {
    const m = run([{ type: 'presence', user: 'bob', status: 'away', text: 'lunch' }]);
    expect(m.membersOf('#general').find((u) => u.name === 'bob')).toMatchObject({ status: 'away', text: 'lunch' });
    m.apply({ type: 'presence', user: 'bob', status: 'offline' });
    expect(m.onlineUsers()).toEqual([]);
  });

  it('a channel I join at my request becomes current; parting closes it and goes back', () => {
    const m = run([[{ type: 'join', channel: '#dev', user: 'alice', members: ['alice'] }, { command: 'join' }]]);
    expect(m.current).toBe('#dev');
    m.apply({ type: 'part', channel: '#dev', user: 'alice', text: '' });
    expect(m.get('#dev')).toBeUndefined();
    expect(m.current).toBe('#general');
  });

  it('the first channel after login becomes current; later auto-joins do not steal focus', () => {
    const m = run([{ type: 'join', channel: '#random', user: 'alice', members: ['alice'] }]);
    expect(m.current).toBe('#general');
    expect(m.sidebar().map((i) => i.name)).toEqual(['status', '#general', '#random']);
  });

  it('a reconnect marks channels as not joined until they are joined again, without a second "You joined" line', () => {
    const m = run([msg('bob', { channel: '#general' }, 'x')]);
    m.setConnection('reconnecting', 'connection lost');
    expect(m.sidebar().find((i) => i.name === '#general')!.joined).toBe(false);
    m.apply({ type: 'join', channel: '#general', user: 'alice', members: ['alice', 'bob'] }, { quiet: true });
    expect(m.sidebar().find((i) => i.name === '#general')!.joined).toBe(true);
    expect(m.get('#general')!.entries.filter((e) => e.kind === 'info' && e.text.startsWith('You joined'))).toHaveLength(1);
  });

  it('topics update the channel and say who set them', () => {
    const m = run([{ type: 'topic', channel: '#general', topic: 'release day', by: 'bob' }]);
    expect(m.get('#general')!.topic).toBe('release day');
    expect(m.get('#general')!.entries.at(-1)).toMatchObject({ kind: 'info', text: 'bob set the topic of #general: release day' });
  });
});

describe('client model: replies are readable and quiet ones are silent', () => {
  it.each([
    { name: 'an error to a typed command', e: { type: 'error', code: 'NO_SUCH_CHANNEL', text: 'No such channel #x.', command: 'join' }, ctx: { command: 'join' }, line: 'No such channel #x.', level: 'error' },
    { name: 'an error without a text shows its code', e: { type: 'error', code: 'INTERNAL' }, ctx: { command: 'join' }, line: 'INTERNAL', level: 'error' },
    { name: 'ok', e: { type: 'ok', command: 'away', text: 'You are away.' }, ctx: { command: 'away' }, line: 'You are away.', level: 'info' },
    { name: "a plugin's own event", e: { type: 'weather', sessions: 3, uptime: '2h' }, ctx: { command: 'weather' }, line: 'weather sessions=3 uptime=2h', level: 'info' },
    { name: '/plugins with its heading once', e: { type: 'plugins', plugins: [{ name: 'auth', version: '1.0.0', status: 'loaded' }] }, ctx: { command: 'plugins' }, line: '  auth         1.0.0    loaded', level: 'info' },
    { name: '/search in a direct conversation', e: { type: 'search', query: 'psst', more: false, messages: [{ id: '1', from: 'bob', to: 'alice', text: 'psst', ts: 'not a time' }] }, ctx: { command: 'search' }, line: '  not a time bob → alice <bob> psst', level: 'info' },
    { name: 'a notice', e: { type: 'notice', from: 'server', text: 'restart at 5' }, ctx: {}, line: '[server] restart at 5', level: 'notice' },
    { name: '/bans with times for people', e: { type: 'bans', bans: [{ user: 'eve', by: 'root', until: '2026-11-25T12:00:00.000Z', text: 'spam' }] }, ctx: { command: 'bans' }, line: expect.stringMatching(/^ {2}eve by root until \d{4}-\d\d-\d\d \d\d:\d\d: spam$/), level: 'info' },
  ])('$name', ({ e, ctx, line, level }) => {
    const m = run([[e as WireEvent, ctx]]);
    expect(m.get('#general')!.entries.at(-1)).toMatchObject({ kind: 'info', text: line, level });
  });

  it('a quiet reply changes state but prints nothing', () => {
    const m = run([]);
    const before = m.get('#general')!.entries.length;
    m.apply({ type: 'error', code: 'NO_SUCH_USER', text: 'x' }, { quiet: true });
    m.apply({ type: 'help', commands: [{ name: 'join', usage: '/join', summary: '' }, { name: 'part', usage: '/part', summary: '' }] }, { quiet: true });
    expect(m.get('#general')!.entries.length).toBe(before);
    expect(m.commands).toEqual(['join', 'part']);
  });
});

describe('client model: a big channel\'s members', () => {
  const who = (names: string[], extra: Record<string, unknown>): WireEvent =>
    ({ type: 'who', channel: '#big', users: names.map((name) => ({ name, status: 'online', role: 'user', bot: false })), ...extra });
  const names = (m: ChatModel) => m.membersOf('#big').map((u) => u.name);

  it('keeps the count the server gives, adds pages as they come, and follows crowds', () => {
    const m = run([{ type: 'join', channel: '#big', user: 'alice', topic: '', members: ['alice', 'bob'], count: 5000, more: true }]);
    expect(m.get('#big')).toMatchObject({ memberTotal: 5000, membersNext: 'bob' });
    expect(names(m)).toEqual(['alice', 'bob']);
    // The first /who page replaces the join's list; a page after it adds to it.
    m.apply(who(['alice', 'bob', 'carol'], { count: 5000, next: 'carol' }), { quiet: true });
    m.apply(who(['dave', 'erin'], { count: 5000, next: 'erin' }), { quiet: true, morePage: true });
    expect(names(m)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
    expect(m.get('#big')!.membersNext).toBe('erin');
    m.apply({ type: 'crowd', channel: '#big', joined: 12, left: 1, joinedNames: ['zed'], leftNames: ['bob'] });
    expect(names(m)).toEqual(['alice', 'carol', 'dave', 'erin', 'zed']);
    expect(m.get('#big')!.memberTotal).toBe(5011);
    const last = m.get('#big')!.entries.at(-1)!;
    expect(last).toMatchObject({ text: '12 people joined (zed and 11 more); bob left' });
    // The last page: no cursor left.
    m.apply(who(['zoe'], { count: 5011 }), { quiet: true, morePage: true });
    expect(m.get('#big')!.membersNext).toBeUndefined();
  });

  it('a small channel has no count: its list is all of it', () => {
    const m = run([]);
    expect(m.get('#general')).toMatchObject({ memberTotal: undefined, membersNext: undefined });
    m.apply(who(['alice', 'bob'], {}), { quiet: true });
    expect(m.get('#big')).toBeUndefined();
  });
});
