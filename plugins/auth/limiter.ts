import { plural } from '../../core/index.js';

/**
 * The key failures and registrations are counted under for a client address: an IPv4 address as it is,
 * an IPv6 address by its /64 (one subscriber's network: rotating addresses inside it must not escape a limit).
 */
export function addressKey(address: string): string {
  if (!address.includes(':') || address === '::1') return address;
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  if (groups.length < 4) return address.toLowerCase();
  return `${groups.slice(0, 4).map((g) => (parseInt(g, 16) || 0).toString(16)).join(':')}::/64`;
}

/** "3 minutes", "45 seconds": how long to wait, for RATE_LIMITED texts. */
export function waitText(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 120) return plural(s, 'second');
  const m = Math.ceil(s / 60);
  if (m < 120) return `${m} minutes`;
  return `${Math.ceil(m / 60)} hours`;
}
