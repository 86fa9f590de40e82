import { defineCommand, event } from '../../../core/index.js';
import type { Admin } from '../admin.js';

export const stats = (a: Admin) => defineCommand({
  name: 'stats', usage: '/stats', summary: 'Connections, users online, messages per minute, memory, uptime, plugins, history queue', access: 'admin',
  run(c) {
    const history = a.ctx.service('history');
    const mem = process.memoryUsage();
    return event('stats', {
      connections: c.server.sessions.size,
      usersOnline: c.server.onlineUsers().length,
      messagesPerMinute: a.messages.lastMinute(a.now()),
      messagesTotal: a.messages.total,
      memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed },
      uptimeSeconds: Math.round((a.now() - c.server.startedAt) / 1000),
      plugins: c.server.plugins.list().map((p) => ({ name: p.name, status: p.status })),
      historyQueue: history ? history.queueDepth() : null,
      historyDropped: history ? history.dropped() : null,
    });
  },
});
