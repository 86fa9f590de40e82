import { int, list, num, oneOf, options } from '../../core/index.js';
import { isValidChannelName } from './api.js';

/** The channels plugin's settings (plugins.channels in the config file): defaults and ranges. */
export const channelsOptions = options({
  /** Public channels every user is put in at each login (created when missing); the first becomes the current target. */
  autoJoin: list(['#general'] as string[], {
    item: (name) => (typeof name === 'string' && isValidChannelName(name) ? undefined : `${JSON.stringify(name)} is not a channel name (# then 1–49 letters, digits, _ - .)`),
  }),
  /** Who may create channels (public with /join, private with /channel create): `anyone`, or `admins` (others get NOT_ALLOWED). */
  creation: oneOf(['anyone', 'admins'], 'anyone'),
  /** Messages replayed (a `history` event) when a user joins a channel; 0 for none. Needs the history plugin. */
  replay: int({ min: 0, default: 50 }),
  /** Channels one user may be a member of at once (NOT_ALLOWED past it); 0: no limit. */
  maxChannelsPerUser: int({ min: 0, default: 100 }),
  /** Channels the server may hold in all (NOT_ALLOWED past it); 0: no limit. */
  maxChannels: int({ min: 0, default: 10_000 }),
  /** Channels one user may create (/join of a new one, /channel create) within createWindowSeconds; past it RATE_LIMITED (admins are exempt); 0: no limit. */
  createPerUser: int({ min: 0, default: 20 }),
  /** Channels one user may own at once (created and not deleted or reclaimed; private ones left empty too); past it NOT_ALLOWED (admins are exempt); 0: no limit. */
  maxOwnedPerUser: int({ min: 0, default: 100 }),
  /** The window of createPerUser, in seconds. */
  createWindowSeconds: int({ min: 0, default: 3_600 }),
  /** A public channel nobody is in (no member, no bot; auto-join channels excepted) is deleted after this many seconds, its history with it; 0: never. */
  reclaimEmptyAfterSeconds: int({ min: 0, default: 86_400 }),
  /** Longest topic, in characters (BAD_ARGUMENTS past it). */
  maxTopicLength: int({ min: 0, default: 390 }),
  /** Names in the join reply; past it the reply says how many are here (`count`, `more`) and `/who #channel after=` pages the rest. */
  joinMembers: int({ min: 0, default: 100 }),
  /** Names in one page of `/who` (the reply has `next` when there are more). */
  whoPage: int({ min: 1, default: 500 }),
  /** From this many present members a channel is big: its join/part notices follow bigChannelNotices, and presence (online, away, offline) is not sent through it. 0: no channel is big. */
  bigChannel: int({ min: 0, default: 200 }),
  /** Join/part notices in a big channel: `coalesce` (one `crowd` event per noticeWindowSeconds, e.g. "12 people joined") or `suppress` (none). */
  bigChannelNotices: oneOf(['coalesce', 'suppress'], 'coalesce'),
  /** The window over which a big channel's joins and parts are gathered into one `crowd` event, in seconds. */
  noticeWindowSeconds: num({ min: 0.05, max: 3600, default: 1 }),
  /** Names listed in a `crowd` event (of those who joined, and of those who left); the rest are counted. */
  noticeNames: int({ min: 0, default: 5 }),
  /** Direct messages kept for one offline user; past it, messages to them are refused (RATE_LIMITED). */
  maxOfflinePerUser: int({ min: 0, default: 500 }),
  /** Direct messages one sender may have kept for one offline user; past it, that sender is refused (RATE_LIMITED). 0: no limit. */
  maxOfflinePerSender: int({ min: 0, default: 100 }),
});

export const channelsDefaults = channelsOptions.defaults;
export type ChannelsConfig = typeof channelsDefaults;
