import { nameKey, type ChatMessage } from '../../core/index.js';
import type { HistoryTarget } from './api.js';

/**
 * The key a conversation is stored under: a channel by its lowercased name (`#general`), the direct
 * messages between two users by both lowercased names, sorted (`@alice|bob`), so either side finds them.
 */
export function dmKey(a: string, b: string): string {
  const x = nameKey(a);
  const y = nameKey(b);
  return x <= y ? `@${x}|${y}` : `@${y}|${x}`;
}

export function targetKey(target: HistoryTarget): string {
  return 'channel' in target ? nameKey(target.channel) : dmKey(target.between[0], target.between[1]);
}

/** The conversation a message belongs to. */
export function messageKey(m: ChatMessage): string {
  if (m.channel !== undefined) return nameKey(m.channel);
  return dmKey(m.from, m.to ?? m.from);
}

/** Message ids as core/ids.ts issues them: 13 base-36 digits. */
export const ID_PATTERN = /^[0-9a-z]{13}$/;
export const isMessageId = (s: string): boolean => ID_PATTERN.test(s);
