import { defineCommand, event } from '../../../core/index.js';
import type { Admin } from '../admin.js';

export const stats = (a: Admin) => defineCommand({
  name: 'stats', usage: '/stats', summary: 'Connections, users online, messages per minute, memory, uptime, plugins, history queue', access: 'admin',
  run(c) {
    const history = a.ctx.service('history');
    const mem = process.memoryUsage();
    return event('stats', {
      connections: a.ctx.sessions.count,
      usersOnline: a.ctx.sessions.onlineUsers().length,
      messagesPerMinute: a.messages.lastMinute(a.now()),
      messagesTotal: a.messages.total,
      memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed },
      uptimeSeconds: Math.round((a.now() - a.ctx.host.startedAt) / 1000),
      plugins: a.ctx.host.plugins.list().map((p) => ({ name: p.name, status: p.status })),
      historyQueue: history ? history.queueDepth() : null,
      historyDropped: history ? history.dropped() : null,
    });
  },
});
