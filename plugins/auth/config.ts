import { bool, int, list, oneOf, options, type Option } from '../../core/index.js';

/** scrypt's cost: a power of two. */
const powerOfTwo = (def: number): Option<number> => ({
  default: def,
  check: (v, path) => (Number.isInteger(Math.log2(v)) && v >= 2 && v <= 2 ** 20 ? undefined : `${path} must be a power of two up to 1048576, not ${v}`),
});

/** The auth plugin's settings (plugins.auth in the config file): defaults and ranges. */
export const authOptions = options({
  /** `open`: anyone may /register; `closed`: accounts are made by admins or `whiskr user add` (REGISTRATION_CLOSED). */
  registration: oneOf(['open', 'closed'], 'open'),
  /**
   * Names nobody may take, without regard to case: the sender of server notices, the original Whiskr's
   * (whose imported notices are signed `Serveur`), and names of JavaScript's object machinery. Bots' names
   * are refused as well while they run.
   */
  reservedNames: list(['server', 'serveur', '__proto__', 'constructor', 'prototype'] as string[]),
  /**
   * Names that could be mistaken for the server or its staff: /register refuses them (also with `-`, `_`,
   * `.` or trailing digits added, any case); an operator can still give them (`whiskr user add`).
   */
  staffNames: list(['admin', 'administrator', 'root', 'system', 'sysop', 'staff', 'moderator', 'mod', 'operator', 'op', 'whiskr', 'support', 'security', 'official', 'owner'] as string[]),
  /** Shortest accepted password, in characters (WEAK_PASSWORD). */
  minPasswordLength: int({ min: 0, default: 8 }),
  /** Longest accepted password, in characters (bounds the hashing work one line can cause). */
  maxPasswordLength: int({ min: 1, default: 1024 }),
  /** Whether a user may be logged in from several connections at once; false refuses a second login. */
  allowMultipleSessions: bool(true),
  /** scrypt cost for new hashes (N, a power of two). Old hashes keep the parameters stored with them. */
  scryptN: powerOfTwo(16384),
  /** scrypt block size for new hashes. */
  scryptR: int({ min: 1, max: 32, default: 8 }),
  /** scrypt parallelism for new hashes. */
  scryptP: int({ min: 1, max: 16, default: 1 }),
  /** Password hashes computed at once, each on its own low-priority thread (0: one less than the CPU cores, at least one). */
  maxConcurrentHashes: int({ min: 0, default: 0 }),
  /**
   * Failed logins allowed per account from one client address (IPv6: one /64) within failureWindowSeconds;
   * past it that address gets RATE_LIMITED for the account, other addresses are not affected (0: no limit).
   */
  maxFailuresPerAccount: int({ min: 0, default: 10 }),
  /**
   * Distinct client addresses (IPv6: /64s) with failed logins on one account within failureWindowSeconds
   * before the account is RATE_LIMITED from every address (many guessers at once: a botnet).
   * One address counts once, so it can never lock the owner out by itself (0: no limit).
   */
  maxFailingAddressesPerAccount: int({ min: 0, default: 20 }),
  /** Failed logins allowed per client address (IPv6: per /64) within failureWindowSeconds before RATE_LIMITED (0: no limit). Loopback included. */
  maxFailuresPerAddress: int({ min: 0, default: 30 }),
  /** The window, in seconds, over which failed logins are counted. */
  failureWindowSeconds: int({ min: 1, default: 900 }),
  /** Accounts one client address may register per hour (0: no limit). Loopback is exempt unless limitLoopbackRegistrations. */
  maxRegistrationsPerAddressPerHour: int({ min: 0, default: 20 }),
  /** Whether loopback addresses are held to maxRegistrationsPerAddressPerHour (tests and benchmarks register thousands from 127.0.0.1). */
  limitLoopbackRegistrations: bool(false),
  /** How long a reconnect token stays valid, in seconds (0: tokens are not issued). */
  tokenTtlSeconds: int({ min: 0, default: 30 * 86_400 }),
  /** Reconnect tokens one account may hold at once; the oldest are revoked past this. */
  maxTokensPerUser: int({ min: 1, default: 20 }),
});

export const authDefaults = authOptions.defaults;
export type AuthConfig = typeof authDefaults;
