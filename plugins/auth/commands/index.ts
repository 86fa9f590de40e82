import type { PluginContext } from '../../../core/index.js';
import type { Accounts } from '../accounts.js';
import type { AuthConfig } from '../config.js';
import register from './register.js';
import login from './login.js';
import resume from './resume.js';
import logout from './logout.js';
import passwd from './passwd.js';
import whoami from './whoami.js';

/** What the auth commands are built around. */
export interface AuthCommands {
  accounts: Accounts;
  /** For the channels service (/whoami). */
  ctx: PluginContext<AuthConfig>;
}

/** Every command of the auth plugin, each a factory over AuthCommands. */
export const commands = [register, login, resume, logout, passwd, whoami];
