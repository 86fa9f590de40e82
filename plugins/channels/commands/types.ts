import type { CommandSpec } from '../../../core/index.js';
import type { Chat } from '../chat.js';
import type { Messenger } from '../messaging.js';
import type { Presence } from '../presence.js';
import type { Seats } from '../seats.js';

/** What the channel commands work with. */
export interface Parts { chat: Chat; messenger: Messenger; presence: Presence; seats: Seats }

/** A command of this plugin: a spec built over the plugin's state. */
export type ChannelCommand = (p: Parts) => CommandSpec;
