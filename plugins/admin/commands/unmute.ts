import { defineCommand } from '../../../core/index.js';
import type { AdminCommands } from './index.js';
import { lift } from './restriction.js';

export default (deps: AdminCommands) => defineCommand({
  name: 'unmute', usage: '/unmute <user>', summary: 'Let a muted user speak again', access: 'admin', minArgs: 1,
  run: (command) => lift(deps, 'mute', command),
});
