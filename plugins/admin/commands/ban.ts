import { defineCommand } from '../../../core/index.js';
import type { AdminCommands } from './index.js';
import { restrict } from './restriction.js';

export default (deps: AdminCommands) => defineCommand({
  name: 'ban', usage: '/ban <user> [duration] [text…]', summary: 'Ban a user (30s, 10m, 2h, 7d; none: permanent) and close their sessions', access: 'admin', minArgs: 1,
  run: (command) => restrict(deps, 'ban', command),
});
