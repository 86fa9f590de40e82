import type { PrivilegedContext } from '../../../core/index.js';
import type { AdminConfig } from '../config.js';
import type { AdminStore } from '../store.js';
import type { Restrictions } from '../restrictions.js';
import type { RateCounter } from '../rate.js';
import type { ShutdownCountdown } from '../countdown.js';
import kick from './kick.js';
import ban from './ban.js';
import unban from './unban.js';
import bans from './bans.js';
import mute from './mute.js';
import unmute from './unmute.js';
import mutes from './mutes.js';
import wall from './wall.js';
import shutdown from './shutdown.js';
import plugins from './plugins.js';
import plugin from './plugin.js';
import rehash from './rehash.js';
import users from './users.js';
import role from './role.js';
import stats from './stats.js';
import audit from './audit.js';

/** What the admin commands are built around. */
export interface AdminCommands {
  ctx: PrivilegedContext<AdminConfig>;
  /** Bans, mutes and the audit trail in the database. */
  store: AdminStore;
  /** The running bans and mutes. */
  restrictions: Restrictions;
  /** Messages delivered, for /stats. */
  messages: RateCounter;
  /** The /shutdown countdown. */
  countdown: ShutdownCountdown;
}

/** Every command of the admin plugin, each a factory over AdminCommands. */
export const commands = [
  kick, ban, unban, bans, mute, unmute, mutes, wall, shutdown, plugins, plugin, rehash, users, role, stats, audit,
];
