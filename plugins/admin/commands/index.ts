import type { CommandSpec } from '../../../core/index.js';
import type { Admin } from '../admin.js';
import { kick } from './kick.js';
import { ban } from './ban.js';
import { unban } from './unban.js';
import { bans } from './bans.js';
import { mute } from './mute.js';
import { unmute } from './unmute.js';
import { mutes } from './mutes.js';
import { wall } from './wall.js';
import { shutdown } from './shutdown.js';
import { plugins } from './plugins.js';
import { plugin } from './plugin.js';
import { rehash } from './rehash.js';
import { users } from './users.js';
import { role } from './role.js';
import { stats } from './stats.js';
import { audit } from './audit.js';

/** Every admin command, each built around the plugin's state. */
export const commands: ((a: Admin) => CommandSpec)[] = [
  kick, ban, unban, bans, mute, unmute, mutes, wall, shutdown, plugins, plugin, rehash, users, role, stats, audit,
];
