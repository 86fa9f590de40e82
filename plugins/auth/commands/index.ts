import type { CommandSpec } from '../../../core/index.js';
import type { Auth } from '../auth.js';
import { register } from './register.js';
import { login } from './login.js';
import { resume } from './resume.js';
import { logout } from './logout.js';
import { passwd } from './passwd.js';
import { whoami } from './whoami.js';

/** Every command of the auth plugin. */
export function commands(auth: Auth): CommandSpec[] {
  return [register(auth), login(auth), resume(auth), logout(auth), passwd(auth), whoami(auth)];
}
