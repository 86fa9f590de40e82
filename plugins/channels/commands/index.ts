import type { ChannelState } from '../state.js';
import type { Messenger } from '../messaging.js';
import type { Presence } from '../presence.js';
import type { Seats } from '../seats.js';
import join from './join.js';
import part from './part.js';
import channels from './channels.js';
import channel from './channel.js';
import topic from './topic.js';
import switchTarget from './switch.js';
import msg from './msg.js';
import me from './me.js';
import notice from './notice.js';
import who from './who.js';
import whois from './whois.js';
import away from './away.js';

/** What the channel commands work with: the plugin's state, and its parts that send messages, presence and bot seats. */
export interface ChannelsCommands { state: ChannelState; messenger: Messenger; presence: Presence; seats: Seats }

/** Every command of the channels plugin. */
export const commands = [join, part, channels, channel, topic, switchTarget, msg, me, notice, who, whois, away];
