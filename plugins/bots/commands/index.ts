import type { Clock, Logger, PluginContext, Sessions } from '../../../core/index.js';
import type { BotCommand, BotsService } from '../api.js';
import type { BotKind, BotsConfig } from '../config.js';
import type { Rng } from '../dice.js';
import type { Reminders } from '../reminders.js';
import type { PollStore, ReminderStore } from '../store.js';
import roll from './roll.js';
import flip from './flip.js';
import pick from './pick.js';
import seen from './seen.js';
import remind from './remind.js';
import poll from './poll.js';
import vote from './vote.js';

/** What the bots' commands work with: handed to each command's factory by the plugin's setup. */
export interface BotsCommands {
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

/** One bot of the plugin: what it does and its commands. Its name and channels come from the config. */
export interface BotDefinition {
  kind: BotKind;
  description: string;
  commands: readonly ((deps: BotsCommands) => BotCommand)[];
}

/** Every bot of the plugin, each with its commands in one array. */
export const bots: readonly BotDefinition[] = [
  { kind: 'dice', description: 'Rolls dice, flips coins, picks one of several.', commands: [roll, flip, pick] },
  { kind: 'seen', description: 'Tells when someone was last here.', commands: [seen] },
  { kind: 'remind', description: 'Reminds you of things later (kept across restarts).', commands: [remind] },
  { kind: 'poll', description: 'Runs polls: one open poll per channel, one vote per person.', commands: [poll, vote] },
];
