import { int, options } from '../../core/index.js';

/** The admin plugin's settings (plugins.admin in the config file): defaults and ranges. */
export const adminOptions = options({
  /** Countdown of /shutdown (and /kill) without an argument, in seconds. */
  shutdownSeconds: int({ min: 0, default: 3 }),
  /** Longest countdown /shutdown accepts, in seconds. */
  maxShutdownSeconds: int({ min: 0, default: 3600 }),
  /** Longest reason accepted with /kick, /ban, /mute and /wall, in characters (longer is BAD_ARGUMENTS). */
  maxTextLength: int({ min: 0, default: 500 }),
  /** Entries /audit shows without a count. */
  auditDefaultCount: int({ min: 0, default: 20 }),
  /** Most entries /audit shows at once. */
  auditMaxCount: int({ min: 0, default: 500 }),
  /** Most accounts /users lists at once (the reply says how many matched in all). */
  maxUsersListed: int({ min: 0, default: 500 }),
  /** Seconds between sweeps that delete expired bans and mutes from the database. */
  sweepSeconds: int({ min: 1, default: 60, error: 'must be at least 1' }),
}, (c, path) => {
  if (c.shutdownSeconds > c.maxShutdownSeconds) return `${path}.shutdownSeconds (${c.shutdownSeconds}) is more than maxShutdownSeconds (${c.maxShutdownSeconds})`;
  if (c.auditDefaultCount < 1 || c.auditDefaultCount > c.auditMaxCount) return `${path}.auditDefaultCount must be 1 to auditMaxCount (${c.auditMaxCount})`;
  return undefined;
});

export const adminDefaults = adminOptions.defaults;
export type AdminConfig = typeof adminDefaults;
