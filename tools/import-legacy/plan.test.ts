import { describe, expect, it } from 'vitest';
import { idTime } from '../../core/index.js';
import { legacyMessageId, legacyPassword, legacyText, planAccounts, planBans } from './plan.js';

const SHA_TOTO = '31f7a65e315586ac198bd798b6629ce4903d0899476d5741a9f32e2e521b6a66';

describe('legacy import plan', () => {
  it.each([
    [SHA_TOTO, { kind: 'sha256', hash: SHA_TOTO }],
    [SHA_TOTO.toUpperCase(), { kind: 'sha256', hash: SHA_TOTO }],
    ['toto', { kind: 'plain', hash: 'toto' }],
    [SHA_TOTO.slice(1), { kind: 'plain', hash: SHA_TOTO.slice(1) }],
  ])('password %s is %j', (value, expected) => {
    expect(legacyPassword(value)).toEqual(expected);
  });

  it('merges the two tables: admins get the role, a name in both is one admin account keeping its chat password', () => {
    const plan = planAccounts(
      [{ name: 'toto', password: SHA_TOTO }, { name: 'titi', password: 'titi' }, { name: 'x', password: 'p' }, { name: 'Zack', password: 'a' }, { name: 'zack', password: 'b' }],
      [{ name: 'TOTO', password: SHA_TOTO }, { name: 'titi', password: 'other' }, { name: 'boss', password: SHA_TOTO }],
    );
    expect(plan.accounts).toEqual([
      { name: 'toto', role: 'admin', legacy: { kind: 'sha256', hash: SHA_TOTO } },
      { name: 'titi', role: 'admin', legacy: { kind: 'plain', hash: 'titi' } },
      { name: 'Zack', role: 'user', legacy: { kind: 'plain', hash: 'a' } },
      { name: 'boss', role: 'admin', legacy: { kind: 'sha256', hash: SHA_TOTO } },
    ]);
    expect(plan.refused).toEqual([{ name: 'x', table: 'utilisateurs', reason: expect.stringMatching(/2 to 32/) }]);
    expect(plan.notes).toEqual([
      'zack (utilisateurs): the same name as Zack without regard to case; only the first is imported',
      'titi: in both tables with different passwords; the account keeps its chat password (utilisateurs)',
    ]);
  });

  it('keeps the bans still running, the one ending last per name; no duration is permanent', () => {
    const now = 10_000_000;
    const plan = planBans([
      { name: 'old', at: now - 120_000, seconds: 60 },
      { name: 'toto', at: now - 30_000, seconds: 60 },
      { name: 'toto', at: now - 10_000, seconds: 120 },
      { name: 'toto', at: now - 5_000, seconds: 30 },
      { name: 'forever', at: now - 1e9, seconds: null },
      { name: 'x', at: now, seconds: 60 },
    ], now);
    expect(plan.running).toEqual([
      { user: 'toto', created: now - 10_000, until: now + 110_000 },
      { user: 'forever', created: now - 1e9, until: null },
    ]);
    expect(plan).toMatchObject({ expired: 1, superseded: 2, refused: ['x'] });
  });

  it('message ids follow core/ids.ts and sort by time, then by place in the second', () => {
    const t = Date.UTC(2023, 11, 2, 20, 33, 16);
    const ids = [legacyMessageId(t, 0), legacyMessageId(t, 1), legacyMessageId(t, 36), legacyMessageId(t + 1000, 0)];
    expect(ids.every((id) => /^[0-9a-z]{13}$/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(idTime(ids[0]!)).toBe(t);
  });

  it.each([
    [' toto, tete, az\n', ' toto, tete, az'],
    ['two\r\nlines', 'two lines'],
    ['bell\u0007', 'bell'],
    ['ça va', 'ça va'],
  ])('text %j becomes %j', (text, expected) => {
    expect(legacyText(text)).toBe(expected);
  });
});
