import { WhiskrError, defineCommand, event, fitToBytes, replyBudget, messageLine, type PluginContext } from '../../../core/index.js';
import type { ChatMessage } from '../../../core/index.js';
import type { HistoryConfig } from '../config.js';
import type { History } from '../service.js';
import { unavailable } from './history.js';

declare module '../../../core/events.js' {
  interface EventMap {
    /** The reply to /search: the newest matches, oldest first; `more` when older matches were left out. */
    search: { query: string; messages: ChatMessage[]; more: boolean };
  }
}

export const renderSearch = (e: { query: string; messages: ChatMessage[]; more: boolean }): string[] => e.messages.length === 0
  ? [`* No messages match "${e.query}".`]
  : [`* ${e.messages.length}${e.more ? '+' : ''} message${e.messages.length === 1 ? '' : 's'} match "${e.query}":`,
    ...e.messages.map((m) => messageLine(m, true))];

export function searchCommand(ctx: PluginContext<HistoryConfig>, history: History) {
  return defineCommand({
    name: 'search',
    usage: '/search <text…>',
    summary: 'Find messages containing a text (any case) in your channels and direct messages',
    access: 'user',
    minArgs: 1,
    async run({ session, user, args }) {
      const text = args.rest(0).trim();
      if (text.length < 2) throw new WhiskrError('BAD_ARGUMENTS', 'Search for at least 2 characters. Usage: /search <text…>');
      if (text.length > 200) throw new WhiskrError('BAD_ARGUMENTS', 'Search for at most 200 characters.');
      const channels = ctx.service('channels')?.channelsOf(user.name) ?? [];
      let found;
      try {
        found = await history.search(user.name, channels, text, ctx.config.searchMaxResults);
      } catch (err) {
        throw unavailable(ctx, err);
      }
      const fit = fitToBytes(found.messages, session.format, replyBudget(ctx.output.maxBytes), 'newest');
      return event('search', { query: text, messages: fit.messages, more: found.more || fit.cut });
    },
  });
}
