import type { ChatMessage, PresenceStatus } from '../../core/index.js';

/** What the channels plugin offers other plugins (history's access rules, bots, importers, auth's /whoami). */
export interface ChannelsService {
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
  post(from: string, target: string, text: string, opts?: { kind?: 'message' | 'action'; bot?: boolean }): Promise<ChatMessage>;
  /** Presence as /whois shows it. */
  presence(user: string): { status: PresenceStatus; text?: string };
}

declare module '../../core/plugin.js' {
  interface Services { channels: ChannelsService }
}
