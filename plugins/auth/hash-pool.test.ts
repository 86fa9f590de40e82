import { afterEach, describe, expect, it } from 'vitest';
import { scryptSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { HashPool } from './hash-pool.js';

const OPTIONS = { N: 1024, r: 8, p: 1 };
const salt = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

/** The nice value of each thread of this process (Linux: /proc/self/task/<tid>/stat, field 19). */
function threadNiceness(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

let pool: HashPool | undefined;
afterEach(async () => { await pool?.close(); pool = undefined; });

describe('HashPool', () => {
  it('derives the same keys as scrypt, in any number at once', async () => {
    pool = new HashPool(2);
    const passwords = Array.from({ length: 12 }, (_, i) => `password ${i} ✓`);
    const keys = await Promise.all(passwords.map((pw) => pool!.derive(pw, salt, 32, OPTIONS)));
    keys.forEach((key, i) => expect(key.equals(scryptSync(passwords[i]!, salt, 32, OPTIONS))).toBe(true));
    expect(pool.waiting).toBe(0);
  });

  it.skipIf(!existsSync('/proc/self/task'))('hashes on threads at the lowest CPU priority, the rest of the process untouched', async () => {
    const before = threadNiceness();
    pool = new HashPool(1);
    await pool.derive('x', salt, 32, OPTIONS);
    const after = threadNiceness();
    expect(after.filter((n) => n === 19).length).toBe(before.filter((n) => n === 19).length + 1);
    expect(after.filter((n) => n !== 19).length).toBeGreaterThanOrEqual(before.filter((n) => n !== 19).length);
  });

  it('rejects impossible parameters with an error, and goes on hashing', async () => {
    pool = new HashPool(1);
    await expect(pool.derive('x', salt, 32, { N: 1000, r: 8, p: 1 })).rejects.toThrow(/scrypt failed/);
    expect((await pool.derive('x', salt, 32, OPTIONS)).equals(scryptSync('x', salt, 32, OPTIONS))).toBe(true);
  });

  it('after close, finishes what was asked and still answers late callers', async () => {
    pool = new HashPool(1);
    const first = pool.derive('a', salt, 32, OPTIONS);
    const closed = pool.close();
    expect((await first).equals(scryptSync('a', salt, 32, OPTIONS))).toBe(true);
    expect((await pool.derive('b', salt, 32, OPTIONS)).equals(scryptSync('b', salt, 32, OPTIONS))).toBe(true);
    await closed;
  });
});
