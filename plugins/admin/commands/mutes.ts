import { defineCommand } from '../../../core/index.js';
import type { AdminCommands } from './index.js';
import { list } from './restriction.js';

export default (deps: AdminCommands) => defineCommand({
  name: 'mutes', usage: '/mutes', summary: 'List the running mutes', access: 'admin',
  run: () => list(deps, 'mute'),
});
