import { WhiskrError, defineCommand, event, fitToBytes, replyBudget } from '../../../core/index.js';
import type { HistoryCommands } from './index.js';
import { unavailable } from './history.js';

export default ({ ctx, history }: HistoryCommands) => defineCommand({
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
