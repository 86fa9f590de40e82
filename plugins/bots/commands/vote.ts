import { clip } from '../../../core/index.js';
import { BotError, type BotCommand } from '../api.js';
import type { BotsCommands } from './index.js';

/** `!vote 2` or `!vote pizza` in the channel's open poll; voting again changes your vote. */
export default (deps: BotsCommands): BotCommand => ({
  name: 'vote',
  usage: '!vote <number|option>',
  summary: "vote in this channel's open poll (again to change your vote)",
  minArgs: 1,
  async run(call) {
    if (!call.channel) throw new BotError('polls live in channels: vote there.');
    const p = await deps.polls.open(call.channel);
    if (!p) throw new BotError('there is no open poll here');
    const said = call.args.rest(0).trim();
    const choice = chosen(p.options, said);
    if (choice === undefined) {
      throw new BotError(`"${clip(said, 40)}" is not an option of poll #${p.id}: give a number from 1 to ${p.options.length}`);
    }
    const before = await deps.polls.vote(p.id, call.from, choice, deps.clock.now());
    const option = p.options[choice]!;
    if (before === choice) return `${call.from}: you already voted for ${option}.`;
    return `${call.from}: ${before === undefined ? 'vote counted' : `vote changed from ${p.options[before] ?? '?'}`} — ${option} (poll #${p.id}).`;
  },
});

/** The option a vote means: its number, its text, or the one option its text begins. */
function chosen(options: string[], said: string): number | undefined {
  const n = Number(said.replace(/^#/, ''));
  if (/^#?\d+$/.test(said)) return Number.isInteger(n) && n >= 1 && n <= options.length ? n - 1 : undefined;
  const key = said.toLowerCase();
  const exact = options.findIndex((o) => o.toLowerCase() === key);
  if (exact >= 0) return exact;
  const starts = options.map((o, i) => (o.toLowerCase().startsWith(key) ? i : -1)).filter((i) => i >= 0);
  return starts.length === 1 ? starts[0] : undefined;
}
