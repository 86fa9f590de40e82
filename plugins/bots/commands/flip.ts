import type { BotCommand } from '../api.js';
import type { BotsCommands } from './index.js';

export default (deps: BotsCommands): BotCommand => ({
  name: 'flip',
  usage: '!flip',
  summary: 'flip a coin: heads or tails',
  run(call) {
    return `${call.from} flipped a coin: ${deps.rng(2) === 1 ? 'heads' : 'tails'}`;
  },
});
