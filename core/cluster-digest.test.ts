import { describe, expect, it } from 'vitest';
import { UserDigest, type RemoteUser } from './cluster.js';

const ann: RemoteUser = { name: 'ann', role: 'user' };
const bob: RemoteUser = { name: 'bob', role: 'admin' };
const cy: RemoteUser = { name: 'cy', role: 'user', away: 'lunch' };

describe('UserDigest (what a heartbeat carries of a node\'s users)', () => {
  it('is the same whatever the order the users came in', () => {
    expect(UserDigest.of([ann, bob, cy]).value).toBe(UserDigest.of([cy, ann, bob]).value);
  });

  it('undoes a user who leaves, as kept up to date from deltas', () => {
    const d = UserDigest.of([ann, bob]);
    d.toggle(cy, 1);
    d.toggle(ann, -1);
    expect(d.value).toBe(UserDigest.of([bob, cy]).value);
    expect(d.count).toBe(2);
  });

  it.each<[string, RemoteUser[], RemoteUser[]]>([
    ['a user more', [ann, bob], [ann, bob, cy]],
    ['another user', [ann, bob], [ann, cy]],
    ['another role', [ann, bob], [ann, { ...bob, role: 'user' }]],
    ['an away text', [ann, bob], [ann, { ...bob, away: 'brb' }]],
    ['another away text', [cy, bob], [{ ...cy, away: 'tea' }, bob]],
    ['a name in another case', [ann, bob], [{ ...ann, name: 'Ann' }, bob]],
  ])('differs for %s', (_what, before, after) => {
    expect(UserDigest.of(after).value).not.toBe(UserDigest.of(before).value);
  });
});
