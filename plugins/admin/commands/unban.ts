import { defineCommand } from '../../../core/index.js';
import type { AdminCommands } from './index.js';
import { lift } from './restriction.js';

export default (deps: AdminCommands) => defineCommand({
  name: 'unban', usage: '/unban <user>', summary: 'Lift the ban of a user', access: 'admin', minArgs: 1,
  run: (command) => lift(deps, 'ban', command),
});
