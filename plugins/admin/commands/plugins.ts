import { defineCommand, event } from '../../../core/index.js';
import type { Admin } from '../admin.js';

export const plugins = (a: Admin) => defineCommand({
  name: 'plugins', usage: '/plugins', summary: 'List the plugins with their version and status', access: 'admin',
  run(c) {
    return event('plugins', { plugins: a.ctx.host.plugins.list().map((p) => ({ name: p.name, version: p.version, status: p.status, error: p.error })) });
  },
});
