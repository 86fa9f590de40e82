import { describe, expect, it } from 'vitest';
import { nameKey, type Session } from '../../core/index.js';
import type { Account } from '../auth/api.js';
import { resolveName, resolveOnline, type NameSources } from './resolve-name.js';

/** Sources for the table: a bot `Dice`, `Alice` online, accounts `Alice` and `Bob` (offline), and reads of the accounts counted. */
function sources() {
  const reads: string[] = [];
  const alice = { user: { name: 'Alice' } } as Session;
  const accounts: Record<string, Account> = {
    alice: { id: 1, name: 'Alice', role: 'user', createdAt: 0, lastSeen: null },
    bob: { id: 2, name: 'Bob', role: 'admin', createdAt: 0, lastSeen: 5 },
    dice: { id: 3, name: 'Dice', role: 'user', createdAt: 0, lastSeen: null },
  };
  const from: NameSources = {
    bots: { get: (name) => (nameKey(name) === 'dice' ? { name: 'Dice', description: 'rolls' } : undefined) },
    sessions: { of: (name) => new Set(nameKey(name) === 'alice' ? [alice] : []) },
    accounts: { findUser: async (name) => { reads.push(name); return accounts[nameKey(name)]; } },
  };
  return { from, reads };
}

describe('resolveName: who a name is, in one order (bot, open session, account)', () => {
  it.each([
    ['DICE', { kind: 'bot', name: 'Dice' }, 0],
    ['alice', { kind: 'user', name: 'Alice', online: true }, 0],
    ['BOB', { kind: 'user', name: 'Bob', online: false, account: { role: 'admin', lastSeen: 5 } }, 1],
    ['carol', undefined, 1],
  ])('%s', async (name, expected, reads) => {
    const { from, reads: done } = sources();
    const found = await resolveName(name, from);
    if (expected === undefined) expect(found).toBeUndefined();
    else expect(found).toMatchObject(expected);
    // A bot shadows an account of its name, and an online user costs no database read (a DM's path).
    expect(done).toHaveLength(reads);
  });

  it('reads an online user\'s account only when asked (role, last seen), and never a bot\'s', async () => {
    const { from, reads } = sources();
    expect(await resolveName('ALICE', from, { withAccount: true })).toMatchObject({ kind: 'user', name: 'Alice', online: true, account: { id: 1 } });
    expect(await resolveName('dice', from, { withAccount: true })).toMatchObject({ kind: 'bot' });
    expect(reads).toEqual(['ALICE']);
  });

  it('knows only bots and online users without accounts (no auth plugin), and none of the database', () => {
    const { from } = sources();
    expect(resolveOnline('bob', from)).toBeUndefined();
    expect(resolveOnline('alice', { sessions: from.sessions })).toMatchObject({ kind: 'user', name: 'Alice' });
    expect(resolveOnline('dice', { sessions: from.sessions })).toBeUndefined();
  });
});
