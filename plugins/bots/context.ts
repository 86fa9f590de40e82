import type { Clock, Logger, PluginContext, Sessions } from '../../core/index.js';
import type { BotsService } from './api.js';
import type { BotsConfig } from './config.js';
import type { Rng } from './dice.js';
import type { Reminders } from './reminders.js';
import type { PollStore, ReminderStore } from './store.js';

/** What the bots' commands work with: handed to each command's factory by the plugin's setup. */
export interface BotsContext {
  readonly config: BotsConfig;
  readonly clock: Clock;
  readonly log: Logger;
  readonly sessions: Sessions;
  readonly bots: BotsService;
  /** Other plugins' services, looked up when used (channels, history, auth may come and go). */
  readonly service: PluginContext<BotsConfig>['service'];
  /** A random whole number from 1 to n. */
  readonly rng: Rng;
  readonly reminderStore: ReminderStore;
  readonly reminders: Reminders;
  readonly polls: PollStore;
}

/** Whether a user is an admin (from their open sessions, else their account). */
export async function isAdmin(b: BotsContext, user: string): Promise<boolean> {
  for (const s of b.sessions.of(user)) if (s.user?.role === 'admin') return true;
  const account = await b.service('auth')?.findUser(user);
  return account?.role === 'admin';
}

/** Shorten a text to n characters (code points) for an answer. */
export function clip(text: string, n: number): string {
  const chars = [...text];
  return chars.length > n ? `${chars.slice(0, n - 1).join('')}…` : text;
}

/** Length in characters (code points), as limits are counted. */
export const length = (text: string): number => [...text].length;
