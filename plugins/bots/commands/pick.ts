import { clip } from '../../../core/index.js';
import { BotError, type BotCommand } from '../api.js';
import type { BotsCommands } from './index.js';

const MAX_CHOICES = 50;

export default (deps: BotsCommands): BotCommand => ({
  name: 'pick',
  usage: '!pick <choice>, <choice>…',
  summary: 'pick one of the choices at random (separated by commas or |, or by spaces when single words)',
  minArgs: 1,
  run(call) {
    const text = call.args.rest(0);
    const sep = /[|,]/.test(text) ? /[|,]/ : / +/;
    const choices = text.split(sep).map((c) => c.trim()).filter((c) => c !== '');
    if (choices.length < 2) throw new BotError(`give me at least two choices. Usage: ${call.usage}`);
    if (choices.length > MAX_CHOICES) throw new BotError(`at most ${MAX_CHOICES} choices`);
    return `${call.from}: I pick ${clip(choices[deps.rng(choices.length) - 1]!, 200)}`;
  },
});
