import { createHash, randomBytes, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { HashPool } from './hash-pool.js';

/** A scrypt hash with the parameters it was made with, as stored beside the account. */
export interface PasswordHash { hash: string; salt: string; N: number; r: number; p: number }
export interface ScryptParams { N: number; r: number; p: number }

const KEY_LENGTH = 32;

function derive(pool: HashPool, password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return pool.derive(password.normalize('NFC'), salt, KEY_LENGTH, options);
}

export async function hashPassword(pool: HashPool, password: string, params: ScryptParams): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const key = await derive(pool, password, salt, params);
  return { hash: key.toString('hex'), salt: salt.toString('hex'), ...params };
}

/** Compare in constant time, with the parameters stored with the hash. */
export async function verifyPassword(pool: HashPool, password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'hex');
  const key = await derive(pool, password, Buffer.from(stored.salt, 'hex'), stored);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Whether a hash was made with weaker parameters than the current ones (re-hash it at the next login). */
export function isOutdated(stored: PasswordHash, params: ScryptParams): boolean {
  return stored.N < params.N || stored.r < params.r || stored.p < params.p;
}

/** The original Whiskr's passwords: unsalted SHA-256 hex, or (a few rows) plaintext. Constant-time compare. */
export function verifyLegacy(password: string, kind: string, stored: string): boolean {
  const sha = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  if (kind === 'sha256') {
    if (!/^[0-9a-f]{64}$/i.test(stored)) return false;
    return timingSafeEqual(sha(password), Buffer.from(stored, 'hex'));
  }
  if (kind === 'plain') return timingSafeEqual(sha(password), sha(stored));
  return false;
}

/** A new reconnect token (URL-safe, 256 bits) and the SHA-256 hex that is stored in its place. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: tokenHash(token) };
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
