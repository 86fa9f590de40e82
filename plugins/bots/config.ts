/** The bots plugin's settings (plugins.bots in the config file), with their defaults. */
export const botsDefaults = {
  /** Channels the bots sit in (they can be invited into others with /channel invite). */
  channels: ['#general'],
  /** Which bots to run: any of dice, seen, remind, poll. */
  enabled: ['dice', 'seen', 'remind', 'poll'],
  /** The bots' names (change one if a user already has it). Valid user names. */
  names: { dice: 'dice', seen: 'seen', remind: 'remind', poll: 'poll' },
  /** Limits of the bot runner, for every plugin's bots while this plugin is loaded. */
  limits: {
    /** Milliseconds a command may take before it is cut off with "took too long". */
    timeoutMs: 5_000,
    /** Bot commands one user may give within userWindowSeconds (0: no limit); past it, one "slow down" and then silence. */
    userCommands: 5,
    /** The window of userCommands, in seconds. */
    userWindowSeconds: 10,
    /** Answers one bot gives in one channel or DM within botWindowSeconds, whoever asks (0: no limit). */
    botAnswers: 10,
    /** The window of botAnswers, in seconds. */
    botWindowSeconds: 10,
    /** Lines one answer may have; more are cut with a note. */
    maxLines: 8,
    /** Characters one line of an answer may have. */
    maxLineLength: 1_000,
  },
  dice: {
    /** Dice one !roll may throw in all. */
    maxDice: 100,
    /** Most sides a die may have. */
    maxSides: 1_000,
    /** Single dice shown in the answer; past this only the sums are. */
    showDice: 20,
  },
  remind: {
    /** Pending reminders one user may have. */
    maxPerUser: 25,
    /** How far ahead a reminder may be set, in days. */
    maxDays: 365,
    /** Longest reminder text, in characters. */
    maxTextLength: 400,
    /** The time zone of `at 14:30` and of the times the bot shows (an IANA name such as Europe/Paris). */
    timeZone: 'UTC',
    /** Seconds to wait before trying again when a reminder cannot be delivered (the channels plugin is not loaded). */
    retrySeconds: 30,
  },
  poll: {
    /** Most options a poll may have. */
    maxOptions: 10,
    /** Longest question, in characters. */
    maxQuestionLength: 200,
    /** Longest option, in characters. */
    maxOptionLength: 80,
  },
};

export type BotsConfig = typeof botsDefaults;
export type BotKind = keyof BotsConfig['names'];
export const botKinds: BotKind[] = ['dice', 'seen', 'remind', 'poll'];
