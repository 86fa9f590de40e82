import type { Server } from './server.js';
import type { Host, Output, Sessions } from './capabilities.js';
import type { ServerEvent } from './events.js';
import { dispatchLine } from './dispatcher.js';
import { inReplyScope } from './reply-scope.js';

/**
 * The capabilities of core/capabilities.ts for a server that is one process: thin adapters over its own
 * parts. Delivery and ids are handed over as they are (they already are those interfaces),
 * so a message costs no extra indirection.
 */
export function localSessions(server: Server): Sessions {
  return {
    of: (name) => server.sessionsOf(name),
    isOnline: (name) => server.isOnline(name),
    onlineUsers: () => server.onlineUsers(),
    all: () => server.sessions,
    get count() { return server.sessions.size; },
    close: (session, reason, opts) => server.closeSession(session, reason, opts),
    disconnectUser: (name, e, reason) => server.disconnectUser(name, e, reason),
    login: (session, user, reply) => server.login(session, user, reply),
    logout: (session, reason) => server.logout(session, reason),
    run: async (session, line, opts) => {
      const replies: ServerEvent[] = [];
      await dispatchLine(server, session, line, opts?.send ? undefined : replies);
      return replies;
    },
    reply: (session, filter, run) => inReplyScope(session, filter, run),
  };
}

export function localOutput(server: Server): Output {
  const renderer = server.renderer;
  return {
    get maxBytes() { return server.config.server.maxOutputBytes; },
    bytes: (e, format) => Buffer.byteLength(renderer.encode(e, format)),
    encode: (e, format) => renderer.encode(e, format),
  };
}

export function localHost(server: Server): Host {
  const plugins = server.plugins;
  return {
    plugins: {
      list: () => plugins.list(),
      load: (key, options) => plugins.load(key, options),
      reload: (key, options) => plugins.reload(key, options),
      unload: (key) => plugins.unload(key),
    },
    get configuredPlugins() { return server.config.plugins; },
    rehash: () => server.rehash(),
    shutdown: (text) => server.shutdown(text),
    startedAt: server.startedAt,
  };
}
