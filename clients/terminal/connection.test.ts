import { describe, expect, it } from 'vitest';
import { replyMatcher } from './connection.js';
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
    ['/ping x', 'ping', { type: 'pong', token: 'whiskr-client-fence-3' }, false],
    ['/ping x', 'ping', { type: 'pong', token: 'x' }, true],
    ['/part #g', 'part', { type: 'ok', command: 'join', text: '' }, false],
  ])('%s ← %j', (line, name, e, want) => {
    expect(replyMatcher(name, 'alice', line)(e)).toBe(want);
  });
});
