import type { BotCommand } from '../api.js';
import type { BotsContext } from '../context.js';

export const flip = (b: BotsContext): BotCommand => ({
  name: 'flip',
  usage: '!flip',
  summary: 'flip a coin: heads or tails',
  run(call) {
    return `${call.from} flipped a coin: ${b.rng(2) === 1 ? 'heads' : 'tails'}`;
  },
});
