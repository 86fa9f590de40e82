import type { BotSpec } from '../api.js';
import type { BotKind } from '../config.js';
import type { BotsContext } from '../context.js';
import { roll } from './roll.js';
import { flip } from './flip.js';
import { pick } from './pick.js';
import { seen } from './seen.js';
import { remind } from './remind.js';
import { poll } from './poll.js';
import { vote } from './vote.js';

/** Every bot of the plugin, by kind, with its commands. Names and channels come from the config. */
export function bots(b: BotsContext): Record<BotKind, Omit<BotSpec, 'name' | 'channels'>> {
  return {
    dice: { description: 'Rolls dice, flips coins, picks one of several.', commands: [roll(b), flip(b), pick(b)] },
    seen: { description: 'Tells when someone was last here.', commands: [seen(b)] },
    remind: { description: 'Reminds you of things later (kept across restarts).', commands: [remind(b)] },
    poll: { description: 'Runs polls: one open poll per channel, one vote per person.', commands: [poll(b), vote(b)] },
  };
}
