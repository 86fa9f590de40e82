import { describe, expect, it } from 'vitest';
import { LabeledReply, wantsLabel } from './labeled.js';

/** The whole reply as a client reads it: what the filter let through, then the end. */
function reply(label: string, ...writes: string[]): string[] {
  const r = new LabeledReply(label, 'whiskr');
  const out = writes.map((w) => r.write(w)).join('') + r.end();
  return out.split('\r\n').filter((l) => l).map((l) => l.replace(/lr\d+/g, 'REF'));
}

describe('labeled-response: the shape of a reply', () => {
  it.each<[string, string[], string[]]>([
    ['none: an ACK', [], ['@label=a1 :whiskr ACK']],
    ['one line: the tag on it', [':whiskr 401 alice bob :No such nick\r\n'], ['@label=a1 :whiskr 401 alice bob :No such nick']],
    ['one tagged line: the label first among its tags', ['@time=2026-01-01T00:00:00.000Z :bob!bob@whiskr PRIVMSG #a :hi\r\n'],
      ['@label=a1;time=2026-01-01T00:00:00.000Z :bob!bob@whiskr PRIVMSG #a :hi']],
    ['two writes: a batch', [':whiskr 311 alice bob bob whiskr * :bob\r\n', ':whiskr 318 alice bob :End of /WHOIS list.\r\n'], [
      '@label=a1 :whiskr BATCH +REF labeled-response',
      '@batch=REF :whiskr 311 alice bob bob whiskr * :bob',
      '@batch=REF :whiskr 318 alice bob :End of /WHOIS list.',
      ':whiskr BATCH -REF',
    ]],
    ['one write of two lines: a batch', [':a!a@w JOIN #x\r\n:whiskr 366 a #x :End of /NAMES list.\r\n'], [
      '@label=a1 :whiskr BATCH +REF labeled-response', '@batch=REF :a!a@w JOIN #x', '@batch=REF :whiskr 366 a #x :End of /NAMES list.', ':whiskr BATCH -REF',
    ]],
    ['a batch of its own nests: its start and end in the reply, its lines left in it', [
      ':a!a@w JOIN #x\r\n',
      ':whiskr BATCH +h1 chathistory #x\r\n@batch=h1;time=t :b!b@w PRIVMSG #x :old\r\n:whiskr BATCH -h1\r\n',
    ], [
      '@label=a1 :whiskr BATCH +REF labeled-response', '@batch=REF :a!a@w JOIN #x', '@batch=REF :whiskr BATCH +h1 chathistory #x',
      '@batch=h1;time=t :b!b@w PRIVMSG #x :old', '@batch=REF :whiskr BATCH -h1', ':whiskr BATCH -REF',
    ]],
    ['empty writes are no lines', ['', '\r\n'], ['@label=a1 :whiskr ACK']],
  ])('%s', (_what, writes, expected) => {
    expect(reply('a1', ...writes)).toEqual(expected);
  });

  it('escapes the label as a tag value', () => {
    expect(reply('a;b c')).toEqual(['@label=a\\:b\\sc :whiskr ACK']);
  });

  it.each<[string | undefined, string[], boolean]>([
    ['x', ['labeled-response', 'batch'], true],
    ['x', ['labeled-response'], false],
    ['x', ['batch'], false],
    ['', ['labeled-response', 'batch'], false],
    [undefined, ['labeled-response', 'batch'], false],
    ['x'.repeat(64), ['labeled-response', 'batch'], true],
    ['x'.repeat(65), ['labeled-response', 'batch'], false],
  ])('label %j with %j: answered %s', (label, caps, want) => {
    expect(wantsLabel(label, new Set(caps))).toBe(want);
  });
});
