import { defineCommand, event, plural } from '../../../core/index.js';
import { checkTextLength, recordAudit } from './common.js';
import type { AdminCommands } from './index.js';

export default (deps: AdminCommands) => defineCommand({
  name: 'wall', usage: '/wall <text…>', summary: 'Send a notice to every session', access: 'admin', minArgs: 1,
  async run(command) {
    const { sessions, delivery } = deps.ctx;
    const text = checkTextLength(deps, command.args.rest(0));
    delivery.toAll(event('notice', { from: 'server', text }));
    await recordAudit(deps, command, 'wall', null, text, `${sessions.count} sessions`);
    return event('ok', { command: 'wall', text: `Sent to ${plural(sessions.count, 'session')}.` });
  },
});
