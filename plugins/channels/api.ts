import type { ChatMessage, Role, Session } from '../../core/index.js';

/** Whether a user is muted; `refuse` throws the WhiskrError a muted user gets. */
export interface Mutes { isMuted(user: string): boolean; refuseMuted(user: string): void }

/** A channel's newest messages, at most `count`, oldest first. */
export type RecentMessages = (channel: string, count: number) => Promise<ChatMessage[]>;

export { isValidChannelName } from './names.js';
export { resolveName, resolveOnline, type NameOwner, type NameSources } from './resolve-name.js';
import type { NameOwner } from './resolve-name.js';

export type PresenceStatus = 'online' | 'away' | 'offline';
/** One channel in `channels` (/channels). */
export interface ChannelSummary { name: string; topic: string; members: number; private: boolean }
/** One user in `who` (/who). */
export interface WhoEntry { name: string; status: PresenceStatus; role: Role; bot: boolean }

/** The events the channels plugin sends (json field names), rendered as text by render.ts. */
export interface ChannelEvents {
  /**
   * Someone joined; to the one who joined, with the channel's topic, who is here and whether it is private.
   * `members` holds at most joinMembers names (sorted); when cut, `count` says how many are here and `more`
   * that `/who #channel after=<last name>` pages the rest.
   */
  join: { channel: string; user: string; topic?: string; members?: string[]; count?: number; more?: boolean; private?: boolean };
  /** `quit`: the user left the server (their last session ended), not just the channel. */
  part: { channel: string; user: string; text: string; quit?: boolean };
  presence: { user: string; status: PresenceStatus; text?: string };
  topic: { channel: string; topic: string; by: string };
  invite: { channel: string; by: string };
  channels: { channels: ChannelSummary[] };
  /** A page of who is here (sorted); when cut, `count` is how many in all and `next` the cursor for `after=`. */
  who: { channel?: string; users: WhoEntry[]; count?: number; next?: string };
  /**
   * The joins and parts of a big channel over a window, coalesced (config bigChannel, bigChannelNotices):
   * how many joined and left, and the first names of each.
   */
  crowd: { channel: string; joined: number; left: number; joinedNames: string[]; leftNames: string[] };
  whois: { user: string; status: PresenceStatus; role: Role; lastSeen: string | null; channels: string[]; bot?: boolean; text?: string };
}

declare module '../../core/events.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-interface
  interface EventMap extends ChannelEvents {}
}

/** The limits the channels plugin holds users to (its config, as now: a rehash changes them), for others to announce. */
export interface ChannelLimits {
  /** Longest topic, in characters (maxTopicLength). */
  topicLength: number;
  /** Channels one user may be a member of at once; 0: no limit (maxChannelsPerUser). */
  channelsPerUser: number;
}

/** What the channels plugin offers other plugins (history's access rules, bots, importers, auth's /whoami). */
export interface ChannelsService {
  /** Its limits now (the IRC listener's ISUPPORT TOPICLEN and CHANLIMIT). */
  limits(): ChannelLimits;
  /** Channels the user is a member of, as named when created. */
  channelsOf(user: string): string[];
  /**
   * Whether `user` may read `target`: a public channel always; a private channel when a member;
   * a user name means the direct conversation between the two, always readable by both.
   */
  canRead(user: string, target: string): Promise<boolean>;
  /** The channel's name as created, or undefined when there is no such channel. */
  channelName(name: string): string | undefined;
  /** Make sure a public channel exists (importers, bot seats). */
  ensureChannel(name: string, owner?: string): Promise<string>;
  /**
   * Post a message as a user or a bot to a channel or a user, through the same checks, delivery and
   * history as anyone's (bot replies, reminders). A DM to an offline user is kept for their next login.
   */
  post(from: string, target: string, text: string, opts?: { kind?: ChatMessage['kind']; bot?: boolean }): Promise<ChatMessage>;
  /** Presence as /whois shows it. */
  presence(user: string): { status: PresenceStatus; text?: string };
  /** Who is in a channel now (users with an open session, and bots), or undefined when there is no such channel. */
  present(channel: string): string[] | undefined;
  /** Where the session's plain lines go (a channel or a user name), as /whoami shows it. */
  targetOf(session: Session): string | undefined;
  /** Whether the channel is private (undefined when there is no such channel). */
  isPrivate(channel: string): boolean | undefined;
  /**
   * Where the current life of a channel name begins: a message id issued when a channel of that name was
   * last deleted (undefined if none ever was). Stored data with an older id belongs to the deleted one.
   */
  lifeStart(channel: string): string | undefined;
  /**
   * Seat the bots of a directory and put lines to them (the bots plugin hands over its runner, through
   * ctx.attach); returns how to stop. The newest directory is the one in use. Channels runs no bot itself.
   */
  useBots(directory: BotDirectory): () => void;
  /**
   * Where the replay after a join comes from: the history plugin registers its recent messages here
   * (ctx.attach), so channels never uses the history plugin (which uses channels). Returns how to stop;
   * without it a join replays nothing.
   */
  replayFrom(recent: RecentMessages): () => void;
  /**
   * Who is muted: the admin plugin registers its mutes here (ctx.attach), so channels never uses the admin
   * plugin (which uses history, which uses channels). Returns how to stop; without it nobody is muted.
   */
  muteWith(mutes: Mutes): () => void;
  /** The directory in use, if any (a reloaded channels plugin goes on with it). */
  botDirectory(): BotDirectory | undefined;
  /** The bot of that name (any case), or undefined when it is not a bot. */
  bot(name: string): SeatedBot | undefined;
  /**
   * Who a name is: a bot, a user (online or not, spelled as registered), or nobody; always in resolveName's
   * order, from this plugin's bots, the open sessions and the accounts.
   */
  resolveName(name: string, opts?: { withAccount?: boolean }): Promise<NameOwner | undefined>;
}

/** A bot as channels sees it: its name, what it does, where it sits (as well as where it was invited). */
export interface SeatedBot { name: string; description: string; channels?: string[] }

/** One thing a bot says in answer. */
export interface BotReply { bot: string; text: string }

/** The bots there are and a way to put a line to them: what channels needs of a bot runner. */
export interface BotDirectory {
  get(name: string): SeatedBot | undefined;
  all(): SeatedBot[];
  /**
   * Follow bots coming and going; returns how to stop. `added` may come again for a bot already there
   * (a new version of it): "this is the bot now". `removed` comes when no version of it is left.
   */
  watch(fn: (change: 'added' | 'removed', bot: SeatedBot) => void): () => void;
  /** A `!command …` line in a channel where `present` bots sit; lines without `!`, and from bots, get no answer. */
  channelLine(from: string, channel: string, text: string, present: readonly string[]): Promise<BotReply[]>;
  /** A line sent to a bot directly. */
  directLine(from: string, bot: string, text: string): Promise<BotReply[]>;
}

declare module '../../core/hooks.js' {
  interface HookMap {
    /**
     * A channel was deleted (`/channel delete`, or reclaimed when left empty). Plugins that keep data per
     * channel drop this one's. `before`: every message of the channel has an older id (see lifeStart).
     */
    'channel.deleted': (info: { channel: string; before: string }) => void | Promise<void>;
    /**
     * `by` invited `user` to a channel (/channel invite; fired on the node where it happened). Members are
     * not told on the line protocol (RFC 2812: the INVITE is the invitee's); the IRC listener tells its
     * clients with invite-notify.
     */
    'channel.invited': (info: { channel: string; user: string; by: string }) => void;
  }
}

declare module '../../core/plugin.js' {
  interface Services { channels: ChannelsService }
}

declare module '../../core/session.js' {
  interface SessionData {
    /** The away text (/away), kept on every session of the user so it outlives a plugin reload. */
    away?: string;
    /** Where a plain line goes: a channel name or a user name (/join, /switch); cleared at logout. */
    target?: string;
  }
}
