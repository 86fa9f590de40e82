/** The admin plugin's settings (plugins.admin in the config file), with their defaults. */
export const adminDefaults = {
  /** Countdown of /shutdown (and /kill) without an argument, in seconds. */
  shutdownSeconds: 3,
  /** Longest countdown /shutdown accepts, in seconds. */
  maxShutdownSeconds: 3600,
  /** Longest reason accepted with /kick, /ban, /mute and /wall, in characters (longer is BAD_ARGUMENTS). */
  maxTextLength: 500,
  /** Entries /audit shows without a count. */
  auditDefaultCount: 20,
  /** Most entries /audit shows at once. */
  auditMaxCount: 500,
  /** Most accounts /users lists at once (the reply says how many matched in all). */
  maxUsersListed: 500,
  /** Seconds between sweeps that delete expired bans and mutes from the database. */
  sweepSeconds: 60,
};

export type AdminConfig = typeof adminDefaults;
