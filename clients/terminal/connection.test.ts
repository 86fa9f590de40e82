import { afterEach, describe, expect, it } from 'vitest';
import { defineCommand } from '../../core/index.js';
import { account, databaseKinds, eventually, member, PASSWORD, say, startChat, type TestServer } from '../../core/testing/index.js';
import { Connection, replyMatcher } from './connection.js';
import type { WireEvent } from './events.js';

const msg = (from: string, extra: Record<string, unknown> = {}): WireEvent => ({ type: 'message', id: '1', from, channel: '#g', text: 'x', ts: '', kind: 'message', ...extra });

describe('telling a reply from the other events', () => {
  it.each<[string, string, WireEvent, boolean]>([
    ['/login a b', 'login', { type: 'login', user: 'alice', role: 'user' }, true],
    ['/login a b', 'login', { type: 'error', code: 'INVALID_CREDENTIALS', text: '', command: 'login' }, true],
    ['/join #dev', 'join', { type: 'join', channel: '#dev', user: 'alice', members: [] }, true],
    ['/join #dev', 'join', { type: 'join', channel: '#dev', user: 'bob' }, false],
    ['/channel create #t bob', 'channel', { type: 'join', channel: '#T', user: 'alice' }, true],
    ['/channel create #t bob', 'channel', { type: 'join', channel: '#other', user: 'alice' }, false],
    ['/msg #g hi', 'msg', msg('alice'), true],
    ['/msg #g hi', 'msg', msg('bob'), false],
    ['/msg #g hi', 'msg', { type: 'error', code: 'MUTED', text: '', command: 'msg' }, true],
    ['/away lunch', 'away', { type: 'presence', user: 'bob', status: 'away' }, false],
    ['/away lunch', 'away', { type: 'presence', user: 'Alice', status: 'away' }, true],
    ['/who #g', 'who', { type: 'join', channel: '#g', user: 'carol' }, false],
    ['/who #g', 'who', { type: 'who', channel: '#g', users: [] }, true],
    ['/stats', 'stats', { type: 'notice', from: 'server', text: 'restart' }, false],
    ['/stats', 'stats', { type: 'stats', sessions: 1 }, true],
    ['/join #dev', 'join', { type: 'history', target: '#dev', messages: [] }, false],
    ['/ping x', 'ping', { type: 'pong', token: 'x' }, true],
    ['/part #g', 'part', { type: 'ok', command: 'join', text: '' }, false],
  ])('%s ← %j', (line, name, e, want) => {
    expect(replyMatcher(name, 'alice', line)(e)).toBe(want);
  });
});

describe('requests matched by labels, over TCP', () => {
  let server: TestServer | undefined;
  let conn: Connection | undefined;
  afterEach(async () => { conn?.close(); conn = undefined; await server?.stop(); server = undefined; });

  it.each(databaseKinds())("a reply is every event labeled for it up to its end, and another user's message meanwhile is not part of it (%s)", async (db) => {
    server = await startChat(db);
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let waiting = false;
    server.server.commands.add(defineCommand({ name: 'gate', usage: '/gate', summary: 'waits', access: 'user', run: async () => { waiting = true; await gate; } }), 'test');
    const bob = await member(server, 'bob');
    await bob.ok('/join #dev', 'join');
    await say(bob, 'before');
    await account(server, 'alice');

    conn = await Connection.open({ host: '127.0.0.1', port: server.port });
    const seen: { e: WireEvent; request?: { tag: unknown; isReply: boolean } }[] = [];
    conn.onEvent = (e, request) => seen.push({ e, request });
    const login = await conn.request(`/login alice ${PASSWORD}`, { tag: 'login' });
    expect(login.reply).toMatchObject({ type: 'login', user: 'alice' });
    // The login's auto-join and its replay are part of its reply.
    expect(login.events.map((e) => e.type)).toEqual(['login', 'join', 'history']);
    conn.me = 'alice';

    const join = await conn.request('/join #dev', { tag: 'join' });
    expect(join.reply).toMatchObject({ type: 'join', channel: '#dev', user: 'alice' });
    expect(join.events.map((e) => e.type)).toEqual(['join', 'history']);
    expect(join.events[1]).toMatchObject({ target: '#dev', messages: [expect.objectContaining({ text: 'before' })] });
    expect(join.events.every((e) => e.label === undefined)).toBe(true);

    const gated = conn.request('/gate', { tag: 'gate' });
    await eventually(() => waiting, 'the gate to be waited on');
    await say(bob, 'meanwhile');
    await eventually(() => seen.some((s) => s.e.type === 'message' && s.e.text === 'meanwhile'), 'bob’s message to arrive');
    expect(seen.find((s) => s.e.type === 'message' && s.e.text === 'meanwhile')!.request).toBeUndefined();
    release();
    const reply = await gated;
    expect(reply.reply).toMatchObject({ type: 'ok', command: 'gate' });
    expect(reply.events).toHaveLength(1);
    expect(seen.find((s) => s.e === reply.reply)!.request).toEqual({ tag: 'gate', isReply: true });
  });
});
