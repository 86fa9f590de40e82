import type { ChannelCommand } from './types.js';
import { join } from './join.js';
import { part } from './part.js';
import { channels } from './channels.js';
import { channel } from './channel.js';
import { topic } from './topic.js';
import { switchTarget } from './switch.js';
import { msg } from './msg.js';
import { me } from './me.js';
import { who } from './who.js';
import { whois } from './whois.js';
import { away } from './away.js';

/** Every command of the channels plugin. */
export const commands: readonly ChannelCommand[] = [join, part, channels, channel, topic, switchTarget, msg, me, who, whois, away];
export type { Parts } from './types.js';
