import type { ChatMessage } from './events.js';

/** One line of a conversation: a chat message (with an id) or an information line (joins, replies, errors). */
export type Entry =
  | {
    kind: 'message'; id: string; ts: string; from: string; text: string;
    action: boolean; bot: boolean; self: boolean; mention: boolean; offline: boolean;
  }
  | { kind: 'info'; ts: string; text: string; level: InfoLevel };

/** event: joins/parts/topics; notice: server notices, invites; error: errors; info: replies. */
export type InfoLevel = 'info' | 'event' | 'notice' | 'error';

export type ConversationKind = 'status' | 'channel' | 'dm';

/** How many lines a conversation keeps in memory; older ones are dropped and fetched again on demand. */
export const MAX_ENTRIES = 3000;

/** The line between what was shown before a reconnect and what was caught up after it. */
export const GAP_MARKER = '— missed while disconnected —';

/**
 * A channel, a direct conversation, or the status buffer. Messages are kept in id order (ids sort in
 * send order within a target) and are never stored twice, whichever way they arrive: live, replayed
 * on join, fetched after a reconnect or fetched when scrolling up.
 */
export class Conversation {
  readonly entries: Entry[] = [];
  private readonly ids = new Set<string>();
  unread = 0;
  mentions = 0;
  /** The newest and oldest message ids held: `/history … after=` and `before=` start from them. */
  lastId?: string;
  firstId?: string;
  /** Whether the server may hold older messages than the oldest one here. */
  moreBefore = true;
  /** A fetch of older messages is in flight. */
  loadingOlder = false;
  topic = '';
  private = false;
  /** For a channel: whether we are in it (false while reconnecting until rejoined, or after parting). */
  joined = false;
  /** Members by lowercase name, valued by the name as shown: all of them, or the pages loaded so far of a big channel. */
  readonly members = new Map<string, string>();
  /** How many are in the channel when the server listed only some (a big channel); undefined when `members` is all. */
  memberTotal?: number;
  /** The cursor of the next page of members (`/who #channel after=`), while there are more. */
  membersNext?: string;
  loadingMembers = false;
  /**
   * While reconnecting: messages newer than `afterId` (what was held before the drop) go below a marker
   * line, in id order, so what is caught up never lands above what was already on screen.
   */
  private gap?: { afterId: string; marker?: Entry };
  /** The newest message id when the user last cleared the pane (/clear). */
  private clearedUpTo?: string;

  constructor(readonly key: string, public name: string, readonly kind: ConversationKind) {}

  has(id: string): boolean { return this.ids.has(id); }

  get messageCount(): number { return this.ids.size; }

  /**
   * Add a message in id order; false when it was already there. `append` (live messages, catch-up) puts
   * a message newer than all others last, after any information lines; `ordered` (history replayed on
   * join, older pages) places it right after the message before it, so a replay comes before the
   * "You joined" line that preceded it.
   */
  addMessage(m: ChatMessage, me: string | undefined, mention: boolean, placement: 'append' | 'ordered' = 'append'): boolean {
    if (this.ids.has(m.id)) return false;
    const self = me !== undefined && m.from.toLowerCase() === me.toLowerCase();
    const entry: Entry = {
      kind: 'message', id: m.id, ts: typeof m.ts === 'string' ? m.ts : new Date().toISOString(), from: m.from,
      text: m.text, action: m.kind === 'action', bot: m.bot === true, self, mention: !self && mention, offline: m.offline === true,
    };
    if (this.gap && m.id > this.gap.afterId) {
      if (!this.gap.marker || !this.entries.includes(this.gap.marker)) {
        this.gap.marker = { kind: 'info', ts: new Date().toISOString(), text: GAP_MARKER, level: 'event' };
        this.entries.push(this.gap.marker);
      }
      const floor = this.entries.indexOf(this.gap.marker) + 1;
      let at = floor;
      for (let i = this.entries.length - 1; i >= floor; i--) {
        const e = this.entries[i]!;
        if (e.kind === 'message' && e.id < m.id) { at = i + 1; break; }
      }
      this.entries.splice(at, 0, entry);
    } else if (placement === 'append' && (this.lastId === undefined || m.id > this.lastId)) {
      this.entries.push(entry);
    } else {
      // After the last message with a smaller id (or first of all).
      let at = 0;
      for (let i = this.entries.length - 1; i >= 0; i--) {
        const e = this.entries[i]!;
        if (e.kind === 'message' && e.id < m.id) { at = i + 1; break; }
      }
      if (this.entries.length >= MAX_ENTRIES && at === 0) return false; // scrollback full: not kept
      this.entries.splice(at, 0, entry);
    }
    this.ids.add(m.id);
    if (this.lastId === undefined || m.id > this.lastId) this.lastId = m.id;
    if (this.firstId === undefined || m.id < this.firstId) this.firstId = m.id;
    this.trim();
    return true;
  }

  /** The connection dropped holding messages up to `afterId`: what comes newer goes below a marker. */
  openGap(afterId: string | undefined): void { this.gap = afterId === undefined ? undefined : { afterId }; }

  /** Caught up: messages are placed by id again. */
  closeGap(): void { this.gap = undefined; }

  addInfo(text: string, level: InfoLevel, ts = new Date().toISOString()): void {
    this.entries.push({ kind: 'info', ts, text, level });
    this.trim();
  }

  /** Whether a message was in the pane when the user cleared it (a rejoin's replay does not bring it back). */
  wasCleared(id: string): boolean { return this.clearedUpTo !== undefined && id <= this.clearedUpTo; }

  clear(): void {
    if (this.lastId !== undefined) this.clearedUpTo = this.lastId;
    this.entries.length = 0;
    this.ids.clear();
    this.firstId = undefined;
    // lastId stays: a reconnect still fetches only what is newer.
    this.moreBefore = true;
  }

  private trim(): void {
    if (this.entries.length <= MAX_ENTRIES) return;
    const dropped = this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    for (const e of dropped) if (e.kind === 'message') this.ids.delete(e.id);
    const first = this.entries.find((e) => e.kind === 'message');
    this.firstId = first?.kind === 'message' ? first.id : this.lastId;
    this.moreBefore = true;
  }
}
