import { WhiskrError, defineCommand, event, fitToBytes, replyBudget, type PluginContext } from '../../../core/index.js';
import type { HistoryConfig } from '../config.js';
import { isMessageId } from '../keys.js';
import { resolveTarget } from '../access.js';
import type { HistoryCommands } from './index.js';

const USAGE = '/history [#channel|user] [count] [before=<id>|after=<id>]';

export interface HistoryArgs { name?: string; count?: number; before?: string; after?: string }

/** The arguments of /history, in any order. Pure, so it is tested by a table. */
export function parseHistoryArgs(args: readonly string[]): HistoryArgs {
  const out: HistoryArgs = {};
  const bad = (why: string): never => { throw new WhiskrError('BAD_ARGUMENTS', `${why}. Usage: ${USAGE}`); };
  for (const a of args) {
    const m = /^(before|after)=(.*)$/i.exec(a);
    if (m) {
      const which = m[1]!.toLowerCase() as 'before' | 'after';
      const id = m[2]!.toLowerCase();
      if (!isMessageId(id)) bad(`${a} is not a message id`);
      if (out.before !== undefined || out.after !== undefined) bad('Give at most one of before= and after=');
      out[which] = id;
    } else if (/^\d+$/.test(a)) {
      if (out.count !== undefined) bad('Give one count');
      const n = Number(a);
      if (n < 1) bad('The count must be at least 1');
      out.count = n;
    } else {
      if (out.name !== undefined) bad(`Give one conversation (${out.name} or ${a}?)`);
      out.name = a;
    }
  }
  return out;
}

/** A database failure while reading: logged as a warning (an outage is not a bug) and told plainly. */
export function unavailable(ctx: PluginContext<HistoryConfig>, err: unknown): WhiskrError {
  ctx.log.warn(`cannot read history: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  return new WhiskrError('INTERNAL', 'History cannot be read right now (the database is not answering); new messages are kept and written when it is back.');
}

export default ({ ctx, history }: HistoryCommands) => defineCommand({
  name: 'history',
  usage: USAGE,
  summary: 'Messages of a channel or of your conversation with a user, oldest first; page with before=/after=',
  access: 'user',
  async run({ session, user, args }) {
    const parsed = parseHistoryArgs(args.list);
    const name = parsed.name ?? ctx.service('channels')?.targetOf(session);
    if (!name) throw new WhiskrError('NO_TARGET', `No current channel or user: name one. Usage: ${USAGE}`);
    const { label, target } = await resolveTarget(ctx, user, name);
    const limit = Math.min(parsed.count ?? ctx.config.defaultCount, ctx.config.maxCount);
    let page;
    try {
      page = await history.page(target, { limit, before: parsed.before, after: parsed.after });
    } catch (err) {
      throw unavailable(ctx, err);
    }
    const fit = fitToBytes(page.messages, session.format, replyBudget(ctx.output.maxBytes), parsed.after ? 'oldest' : 'newest');
    return event('history', { target: label, messages: fit.messages, more: page.more || fit.cut });
  },
});
