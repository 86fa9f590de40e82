import { describe, expect, it } from 'vitest';
import { Session, event, type ServerEvent, type Transport } from '../../core/index.js';
import { encodedFor, rendererWith } from '../../core/testing/index.js';
import type { IrcState } from './api.js';
import { ircFormat, tagMask } from './format.js';

const renderer = rendererWith({});
const states = new Map<Session, IrcState>();
renderer.addFormat('irc', ircFormat({ server: 'srv', userHost: 'h', text: (e) => renderer.text(e), state: (s) => states.get(s) }));

function session(nick: string, caps: IrcState['caps'] = new Set()): Session {
  const transport: Transport = { remoteAddress: '127.0.0.1', writableLength: 0, write() {}, end() {}, destroy() {} };
  const s = new Session(transport, { outbox: { mark() {} } as never, renderer, maxOutputBytes: 1e6, overflow() {} });
  s.format = 'irc';
  states.set(s, { nick, caps, tagMask: tagMask(caps), hold: false });
  return s;
}
const out = (e: ServerEvent, s: Session) => encodedFor(renderer, e, s);
const msg = event('message', { id: '0001', from: 'bob', channel: '#a', text: 'hi \u001b[2J\u0001x', ts: '2026-12-05T10:00:00.000Z', kind: 'message' });

describe('the IRC format', () => {
  it.each([
    [msg, new Set<never>(), ':bob!bob@h PRIVMSG #a :hi ^[[2J^Ax\r\n'],
    [msg, new Set(['server-time'] as const), '@time=2026-12-05T10:00:00.000Z :bob!bob@h PRIVMSG #a :hi ^[[2J^Ax\r\n'],
    [msg, new Set(['message-tags'] as const), '@time=2026-12-05T10:00:00.000Z;msgid=0001;account=bob :bob!bob@h PRIVMSG #a :hi ^[[2J^Ax\r\n'],
    [{ ...msg, kind: 'action', text: 'waves', bot: true } as ServerEvent, new Set(['message-tags'] as const), '@time=2026-12-05T10:00:00.000Z;msgid=0001 :bob!bob@h PRIVMSG #a :\u0001ACTION waves\u0001\r\n'],
    [{ ...msg, kind: 'notice', text: 'fyi' } as ServerEvent, new Set<never>(), ':bob!bob@h NOTICE #a fyi\r\n'],
    [event('part', { channel: '#a', user: 'bob', text: '' }), new Set<never>(), ':bob!bob@h PART #a\r\n'],
    [event('invite', { channel: '#a', by: 'bob' }), new Set<never>(), ':bob!bob@h INVITE al #a\r\n'],
    [event('error', { code: 'NOT_ALLOWED', text: 'no' }), new Set<never>(), ':srv NOTICE al :NOT_ALLOWED: no\r\n'],
    [{ ...msg, text: 'x' } as ServerEvent, new Set(['account-tag'] as const), '@account=bob :bob!bob@h PRIVMSG #a x\r\n'],
    [event('presence', { user: 'bob', status: 'away' }), new Set<never>(), ''],
    [event('presence', { user: 'bob', status: 'away', text: 'out to lunch' }), new Set(['away-notify'] as const), ':bob!bob@h AWAY :out to lunch\r\n'],
    [event('presence', { user: 'bob', status: 'online' }), new Set(['away-notify'] as const), ':bob!bob@h AWAY\r\n'],
    [event('presence', { user: 'bob', status: 'offline' }), new Set(['away-notify'] as const), ''],
    [event('join', { channel: '#a', user: 'bob' }), new Set<never>(), ':bob!bob@h JOIN #a\r\n'],
    [event('join', { channel: '#a', user: 'bob' }), new Set(['extended-join'] as const), ':bob!bob@h JOIN #a bob :bob\r\n'],
  ] as [ServerEvent, IrcState['caps'], string][])('%j with %j', (e, caps, line) => {
    expect(out(e, session('al', caps))).toBe(line);
  });

  it('renders the joiner\'s own join with topic and names, in the receiver\'s nick', () => {
    const e = event('join', { channel: '#a', user: 'al', topic: 'T', members: ['al', 'bob'] });
    expect(out(e, session('al'))).toBe(':al!al@h JOIN #a\r\n:srv 332 al #a T\r\n:srv 353 al = #a :al bob\r\n:srv 366 al #a :End of /NAMES list.\r\n');
  });

  it('shows a user leaving the server as one QUIT, however many channels the receiver shares with them', () => {
    const al = session('al');
    const quit = (channel: string) => event('part', { channel, user: 'bob', text: 'gone', quit: true });
    expect(out(quit('#a'), al)).toBe(':bob!bob@h QUIT gone\r\n');
    expect(out(quit('#b'), al)).toBe('');
    expect(out(quit('#c'), session('cy'))).toBe(':bob!bob@h QUIT gone\r\n');
    expect(out(event('part', { channel: '#a', user: 'dee', text: '' }), al)).toBe(':dee!dee@h PART #a\r\n');
    expect(out(quit('#a'), al)).toBe(':bob!bob@h QUIT gone\r\n');
  });
});
