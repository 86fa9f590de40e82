import { messageLine, type ChatMessage, type EventOf } from '../../core/index.js';

/**
 * The text of a `history` page. The channels plugin sends one too (the replay after a join, empty
 * without this plugin), so it registers this same renderer.
 */
export const renderHistory = (e: EventOf<'history'>): string | string[] => e.messages.length === 0
  ? `* No history in ${e.target}.`
  : [`* History of ${e.target} (${e.messages.length}):`, ...e.messages.map((m) => messageLine(m, true))];

export const renderSearch = (e: { query: string; messages: ChatMessage[]; more: boolean }): string[] => e.messages.length === 0
  ? [`* No messages match "${e.query}".`]
  : [`* ${e.messages.length}${e.more ? '+' : ''} message${e.messages.length === 1 ? '' : 's'} match "${e.query}":`,
    ...e.messages.map((m) => messageLine(m, true))];
