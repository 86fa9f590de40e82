import { defineCommand, event, nameKey } from '../../../core/index.js';
import type { AdminCommands } from './index.js';

export default ({ ctx, messages }: AdminCommands) => defineCommand({
  name: 'stats', usage: '/stats', summary: 'Connections, users online, messages per minute, memory, uptime, plugins, history queue', access: 'admin',
  run() {
    const history = ctx.service('history');
    const mem = process.memoryUsage();
    const now = ctx.clock.now();
    return event('stats', {
      connections: ctx.sessions.count,
      usersOnline: ctx.sessions.onlineUsers().length,
      messagesPerMinute: messages.lastMinute(now),
      messagesTotal: messages.total,
      memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed },
      uptimeSeconds: Math.round((now - ctx.host.startedAt) / 1000),
      plugins: ctx.host.plugins.list().map((p) => ({ name: p.name, status: p.status })),
      historyQueue: history ? history.queueDepth() : null,
      historyDropped: history ? history.dropped() : null,
      ...(ctx.cluster.enabled ? {
        cluster: {
          node: ctx.cluster.node,
          state: ctx.cluster.state,
          nodes: ctx.cluster.nodeStats(),
          usersOnline: new Set([...ctx.sessions.onlineUsers().map((u) => nameKey(u.name)), ...ctx.cluster.remoteUsers().map(nameKey)]).size,
        },
      } : {}),
    });
  },
});
