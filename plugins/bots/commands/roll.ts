import { clip } from '../../../core/index.js';
import { BotError, type BotCommand } from '../api.js';
import type { BotsCommands } from './index.js';
import { formatDice, parseDice, rollDice } from '../dice.js';

/** A first word that is meant as dice (`2d6`, `d20`, `3`, `+1`), as opposed to a label (`initiative`). */
const DICE_START = /^[+-]?(\d|d[\d%])/i;

export default (deps: BotsCommands): BotCommand => ({
  name: 'roll',
  usage: '!roll [dice] [label…]',
  summary: 'roll dice: 2d6+1, d20, 4d6kh3 (keep the highest 3), 2d20kl1, d% — 1d6 when none are given',
  run(call) {
    const words = call.args.list;
    let i = 0;
    let expr = '';
    if (words[0] && DICE_START.test(words[0])) {
      // `2d6 + 1` with spaces is one expression: take words while they continue it.
      expr = words[0];
      i = 1;
      while (i < words.length && (/^[+-]/.test(words[i]!) || /[+-]$/.test(expr))) expr += words[i++];
    }
    const terms = parseDice(expr || '1d6', deps.config.dice);
    if (typeof terms === 'string') throw new BotError(`${terms}. Usage: ${call.usage}`);
    const label = clip(call.args.rest(i).trim(), 100);
    const { total, detail } = rollDice(terms, deps.rng, deps.config.dice.showDice);
    const shown = detail === String(total) ? String(total) : `${detail} = ${total}`;
    return `${call.from} rolled ${formatDice(terms)}${label ? ` (${label})` : ''}: ${shown}`;
  },
});
