import type { EventOf } from '../../core/index.js';

/** Text renderings of the auth plugin's events (registered with ctx.render). Pure, tested by table. */
export const renderers = {
  /** Shows the reconnect token when one was asked for (/login +token). */
  login: (e: EventOf<'login'>) => {
    const line = `* Logged in as ${e.user}${e.role === 'admin' ? ' (admin)' : ''}.`;
    return e.token ? [line, `* Reconnect token (until ${e.tokenExpires}): /resume ${e.user} ${e.token}`] : line;
  },
  whoami: (e: EventOf<'whoami'>) => `* You are ${e.user} (${e.role}); channels: ${e.channels.join(' ') || 'none'}; target: ${e.target ?? 'none'}`,
};
