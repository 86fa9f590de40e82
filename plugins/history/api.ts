import type { ChatMessage } from '../../core/index.js';

/** A conversation: a channel, or the direct messages between two users. */
export type HistoryTarget = { channel: string } | { between: [string, string] };

export interface HistoryPage { messages: ChatMessage[]; more: boolean }

/** What the history plugin offers other plugins (replay on join, !seen, stats, the importer). */
export interface HistoryService {
  /** The last `limit` messages of a conversation, oldest first (includes messages still queued for writing). */
  recent(target: HistoryTarget, limit: number): Promise<ChatMessage[]>;
  /** A page before or after a message id, oldest first. */
  page(target: HistoryTarget, opts: { limit: number; before?: string; after?: string }): Promise<HistoryPage>;
  /** The newest message a user sent anywhere (for !seen), or undefined (never, or removed by retention). */
  lastFrom(user: string): Promise<ChatMessage | undefined>;
  /** Messages waiting to be written, and messages dropped because the queue was full (since start). */
  queueDepth(): number;
  dropped(): number;
  /** Write everything queued now, retrying for up to the plugin's `shutdownFlushSeconds`; rejects if some could not be written. */
  flush(): Promise<void>;
  /**
   * Store messages from elsewhere (the legacy importer), skipping ids already stored. Returns how many were new.
   * Ids must be issued for the message's own time (`new IdGenerator(() => originalMs).next()`, as core/ids.ts
   * does): history orders by id and retention removes by the time an id begins with.
   */
  importMessages(messages: ChatMessage[]): Promise<number>;
  /** Apply the retention setting now (it also runs on a timer); returns how many messages were removed. */
  prune(): Promise<number>;
}

declare module '../../core/plugin.js' {
  interface Services { history: HistoryService }
}

export { renderHistory } from './render.js';

/** The events the history plugin sends (json field names), rendered as text by render.ts. */
export interface HistoryEvents {
  /** A page of a conversation, oldest first (/history; the channels plugin's replay after a join). `more`: older ones are left. */
  history: { target: string; messages: ChatMessage[]; more?: boolean };
  /** The reply to /search: the newest matches, oldest first; `more` when older matches were left out. */
  search: { query: string; messages: ChatMessage[]; more: boolean };
}

declare module '../../core/events.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-interface
  interface EventMap extends HistoryEvents {}
}
