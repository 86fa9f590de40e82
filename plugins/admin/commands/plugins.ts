import { defineCommand, event } from '../../../core/index.js';
import type { AdminCommands } from './index.js';

export default ({ ctx }: AdminCommands) => defineCommand({
  name: 'plugins', usage: '/plugins', summary: 'List the plugins with their version and status', access: 'admin',
  run() {
    return event('plugins', { plugins: ctx.host.plugins.list().map((p) => ({ name: p.name, version: p.version, status: p.status, error: p.error })) });
  },
});
