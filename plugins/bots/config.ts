import { group, isValidUserName, list, num, options, str, value } from '../../core/index.js';
import { isValidChannelName } from '../channels/api.js';
import { checkTimeZone } from './when.js';

export type BotKind = 'dice' | 'seen' | 'remind' | 'poll';
export const botKinds: BotKind[] = ['dice', 'seen', 'remind', 'poll'];

/** The bots plugin's settings (plugins.bots in the config file): defaults and ranges. */
export const botsOptions = options({
  /** Channels the bots sit in (they can be invited into others with /channel invite). */
  channels: list(['#general'], { item: (c) => (typeof c === 'string' && isValidChannelName(c) ? undefined : `${JSON.stringify(c)} is not a channel name`) }),
  /** Which bots to run: any of dice, seen, remind, poll. */
  enabled: list<string>(['dice', 'seen', 'remind', 'poll'], {
    item: (kind) => (botKinds.includes(kind as BotKind) ? undefined : `unknown bot ${JSON.stringify(kind)} (known: ${botKinds.join(', ')})`),
  }),
  /** The bots' names (change one if a user already has it). Valid user names. */
  names: value({ dice: 'dice', seen: 'seen', remind: 'remind', poll: 'poll' } as Record<BotKind, string>),
  /** Limits of the bot runner, for every plugin's bots while this plugin is loaded. */
  limits: group({
    /** Milliseconds a command may take before it is cut off with "took too long". */
    timeoutMs: num({ min: 1, default: 5_000 }),
    /** Bot commands one user may give within userWindowSeconds (0: no limit); past it, one "slow down" and then silence. */
    userCommands: num({ min: 0, default: 5 }),
    /** The window of userCommands, in seconds. */
    userWindowSeconds: num({ min: 0, default: 10 }),
    /** Answers one bot gives in one channel or DM within botWindowSeconds, whoever asks (0: no limit). */
    botAnswers: num({ min: 0, default: 10 }),
    /** The window of botAnswers, in seconds. */
    botWindowSeconds: num({ min: 0, default: 10 }),
    /** Lines one answer may have; more are cut with a note. */
    maxLines: num({ min: 1, default: 8 }),
    /** Characters one line of an answer may have. */
    maxLineLength: num({ min: 20, default: 1_000 }),
  }),
  dice: group({
    /** Dice one !roll may throw in all. */
    maxDice: num({ min: 1, default: 100 }),
    /** Most sides a die may have. */
    maxSides: num({ min: 2, default: 1_000 }),
    /** Single dice shown in the answer; past this only the sums are. */
    showDice: num({ min: 0, default: 20 }),
  }),
  remind: group({
    /** Pending reminders one user may have. */
    maxPerUser: num({ min: 0, default: 25 }),
    /** How far ahead a reminder may be set, in days. */
    maxDays: num({ min: 0, default: 365 }),
    /** Longest reminder text, in characters. */
    maxTextLength: num({ min: 0, default: 400 }),
    /** The time zone of `at 14:30` and of the times the bot shows (an IANA name such as Europe/Paris). */
    timeZone: str('UTC', { valid: (zone, path) => (knownTimeZone(zone) ? undefined : `${path}: unknown time zone ${JSON.stringify(zone)}`) }),
    /** Seconds to wait before trying again when a reminder cannot be delivered (the channels plugin is not loaded). */
    retrySeconds: num({ min: 0, default: 30 }),
  }),
  poll: group({
    /** Most options a poll may have. */
    maxOptions: num({ min: 2, default: 10 }),
    /** Longest question, in characters. */
    maxQuestionLength: num({ min: 0, default: 200 }),
    /** Longest option, in characters. */
    maxOptionLength: num({ min: 0, default: 80 }),
  }),
}, (config, path) => {
  // The names of the bots that run: valid user names, none twice.
  const seen = new Set<string>();
  for (const kind of config.enabled as BotKind[]) {
    const name = config.names[kind];
    if (!isValidUserName(name)) return `${path}.names.${kind}: ${JSON.stringify(name)} is not a valid name`;
    if (seen.has(name.toLowerCase())) return `${path}.names: ${name} is used twice`;
    seen.add(name.toLowerCase());
  }
  return undefined;
});

export const botsDefaults = botsOptions.defaults;

export type BotsConfig = typeof botsDefaults;

function knownTimeZone(zone: string): boolean {
  try { checkTimeZone(zone); return true; } catch { return false; }
}
