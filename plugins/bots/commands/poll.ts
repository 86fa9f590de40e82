import { charLength, clip, nameKey, plural } from '../../../core/index.js';
import { BotError, type BotCommand } from '../api.js';
import type { Poll } from '../api.js';
import type { BotsCommands } from './index.js';
import { isAdmin } from '../users.js';

/**
 * `!poll Lunch? | pizza | sushi` opens a poll in the channel (one open poll per channel);
 * `!poll` shows it; `!poll results [id]` the counts of the open or an earlier poll; `!poll close`
 * ends it (its creator or an admin) with the final result. Votes: `!vote`.
 */
export default (deps: BotsCommands): BotCommand => ({
  name: 'poll',
  usage: '!poll <question> | <option> | <option>… · !poll · !poll results [id] · !poll close',
  summary: 'open a poll in this channel, show it, see results, close it',
  async run(call) {
    const channel = call.channel;
    if (!channel) throw new BotError('polls live in channels: ask me there.');
    const text = call.args.rest(0).trim();
    const sub = call.args.get(0)?.toLowerCase();
    if (text.includes('|')) return create(deps, call.from, channel, text, call.usage);
    if (sub === undefined) {
      const open = await deps.polls.open(channel);
      return open ? describePoll(open, 'open') : `There is no open poll here. Start one: !poll <question> | <option> | <option>`;
    }
    if (sub === 'results' || sub === 'result') {
      const idText = call.args.get(1);
      const p = idText ? await deps.polls.get(pollId(idText), channel) : await deps.polls.latest(channel);
      if (!p) throw new BotError(idText ? `there is no poll ${idText} in this channel` : 'there has been no poll in this channel yet');
      return results(p);
    }
    if (sub === 'close' || sub === 'end') {
      const open = await deps.polls.open(channel);
      if (!open) throw new BotError('there is no open poll here');
      if (nameKey(open.creator) !== nameKey(call.from) && !(await isAdmin(deps, call.from))) {
        throw new BotError(`only ${open.creator} (who opened it) or an admin can close poll #${open.id}`);
      }
      if (!(await deps.polls.close(open.id, call.from, deps.clock.now()))) throw new BotError('that poll was just closed');
      return results({ ...open, closedAt: deps.clock.now(), closedBy: call.from });
    }
    throw new BotError(`to open a poll, separate the question and the options with |. Usage: ${call.usage}`);
  },
});

async function create(deps: BotsCommands, from: string, channel: string, text: string, usage: string): Promise<string> {
  const cfg = deps.config.poll;
  const [question = '', ...rest] = text.split('|').map((s) => s.trim().replace(/\s+/g, ' '));
  const options = rest.filter((o) => o !== '');
  if (question === '') throw new BotError(`what is the question? Usage: ${usage}`);
  if (options.length < 2) throw new BotError(`a poll needs at least two options. Usage: ${usage}`);
  if (options.length > cfg.maxOptions) throw new BotError(`at most ${cfg.maxOptions} options`);
  if (charLength(question) > cfg.maxQuestionLength) throw new BotError(`the question is too long (at most ${cfg.maxQuestionLength} characters)`);
  const long = options.find((o) => charLength(o) > cfg.maxOptionLength);
  if (long) throw new BotError(`option "${clip(long, 30)}" is too long (at most ${cfg.maxOptionLength} characters)`);
  const keys = options.map((o) => o.toLowerCase());
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup) throw new BotError(`"${clip(dup, 30)}" is there twice`);
  const channels = deps.service('channels');
  const life = channels?.lifeStart(channel);
  const p = await deps.polls.create({ channel, question, options, creator: from, createdAt: deps.clock.now() });
  // The channel was deleted while the poll was being stored: it must not open in the name's next life.
  if (p && channels && channels.lifeStart(channel) !== life) {
    await deps.polls.remove(p.id);
    throw new BotError('this channel was just deleted');
  }
  if (!p) {
    const open = await deps.polls.open(channel);
    throw new BotError(`there is already an open poll here${open ? ` (#${open.id} by ${open.creator}: ${clip(open.question, 60)})` : ''}; it has to be closed first (!poll close)`);
  }
  return `${from} opened poll #${p.id}: ${p.question} — ${numbered(p)} — vote with !vote <number>`;
}

function pollId(text: string): number {
  const id = Number(text.replace(/^#/, ''));
  if (!Number.isSafeInteger(id) || id <= 0) throw new BotError(`"${clip(text, 20)}" is not a poll number`);
  return id;
}

function numbered(p: Poll): string {
  return p.options.map((o, i) => `${i + 1}) ${o}`).join('  ');
}

export function describePoll(p: Poll, state: 'open' | 'closed'): string {
  const votes = p.counts.reduce((a, c) => a + c, 0);
  return `Poll #${p.id} by ${p.creator} (${state}, ${plural(votes, 'vote')}): ${p.question} — ${numbered(p)} — vote with !vote <number>`;
}

/** The counts with percentages; for a closed poll, the winner (or a tie). */
export function results(p: Poll): string {
  const total = p.counts.reduce((a, c) => a + c, 0);
  const counts = p.options.map((o, i) => `${o} ${p.counts[i]}${total ? ` (${Math.round((100 * p.counts[i]!) / total)}%)` : ''}`).join(', ');
  const head = `Poll #${p.id} ${p.closedAt === null ? '(open)' : `(closed by ${p.closedBy})`}: ${p.question} — ${counts} — ${plural(total, 'vote')}`;
  if (p.closedAt === null || total === 0) return `${head}.`;
  const best = Math.max(...p.counts);
  const winners = p.options.filter((_, i) => p.counts[i] === best);
  return `${head}. ${winners.length === 1 ? `Winner: ${winners[0]}` : `Tie: ${winners.join(', ')}`}.`;
}
