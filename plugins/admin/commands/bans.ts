import { defineCommand } from '../../../core/index.js';
import type { AdminCommands } from './index.js';
import { list } from './restriction.js';

export default (deps: AdminCommands) => defineCommand({
  name: 'bans', usage: '/bans', summary: 'List the running bans', access: 'admin',
  run: () => list(deps, 'ban'),
});
