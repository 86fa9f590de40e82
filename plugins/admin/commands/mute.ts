import { defineCommand } from '../../../core/index.js';
import type { AdminCommands } from './index.js';
import { restrict } from './restriction.js';

export default (deps: AdminCommands) => defineCommand({
  name: 'mute', usage: '/mute <user> [duration] [text…]', summary: "Refuse a user's messages (MUTED) for a while, or until /unmute", access: 'admin', minArgs: 1,
  run: (command) => restrict(deps, 'mute', command),
});
