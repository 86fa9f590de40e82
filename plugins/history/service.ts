import { WhiskrError, isValidUserName, nameKey, type ChatMessage, type Clock, type MessageIds } from '../../core/index.js';
import type { HistoryPage, HistoryService, HistoryTarget } from './api.js';
import type { HistoryConfig } from './config.js';
import { isMessageId, messageKey, targetKey } from './keys.js';
import type { WriteQueue } from './queue.js';
import type { HistoryStore } from './store.js';

const DAY_MS = 86_400_000;
/** Rows looked at per step of a /search scan (the event loop gets a turn between steps). */
const SEARCH_STEP = 5_000;
/** Rows a /search looks at in all, newest first. */
const SEARCH_SPAN = 1_000_000;

const byId = (a: ChatMessage, b: ChatMessage) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Messages in both lists once, in id order. */
function union(stored: ChatMessage[], queued: ChatMessage[]): ChatMessage[] {
  if (queued.length === 0) return stored;
  const seen = new Set(stored.map((m) => m.id));
  return [...stored, ...queued.filter((m) => !seen.has(m.id))].sort(byId);
}

export interface SearchResult { messages: ChatMessage[]; more: boolean }

/** HistoryService over the store and the write queue: reads see queued messages as if they were written. */
export class History implements HistoryService {
  constructor(
    private readonly store: HistoryStore,
    private readonly queue: WriteQueue,
    private readonly config: HistoryConfig,
    private readonly clock: Clock,
    private readonly ids: MessageIds,
    /** Where the current life of a channel name begins (channels' lifeStart): older ids are a deleted channel's. */
    private readonly lifeStart: (channel: string) => string | undefined = () => undefined,
  ) {}

  /** Whether a message belongs to a channel deleted since (its name may live again, and must start empty). */
  private former(m: ChatMessage): boolean {
    if (m.channel === undefined) return false;
    const start = this.lifeStart(m.channel);
    return start !== undefined && m.id <= start;
  }

  /** Deleted channels whose messages were still queued when they were purged: purged again once written. */
  private readonly stragglers = new Map<string, string>();

  /** Drop what is stored of a deleted channel; returns how many messages went. */
  async forget(channel: string, before: string): Promise<number> {
    const key = nameKey(channel);
    if (this.queue.pendingFor(key).some((m) => m.id < before)) this.stragglers.set(key, before);
    return this.store.purge(key, before);
  }

  /** Purge the messages of deleted channels that were written after their channel went (see forget). */
  async purgeStragglers(): Promise<number> {
    let n = 0;
    for (const [key, before] of [...this.stragglers]) {
      if (this.queue.pendingFor(key).some((m) => m.id < before)) continue;
      n += await this.store.purge(key, before);
      if (this.stragglers.get(key) === before) this.stragglers.delete(key);
    }
    return n;
  }

  async recent(target: HistoryTarget, limit: number): Promise<ChatMessage[]> {
    return (await this.page(target, { limit })).messages;
  }

  async page(target: HistoryTarget, opts: { limit: number; before?: string; after?: string }): Promise<HistoryPage> {
    const limit = Math.max(0, Math.floor(opts.limit));
    if (limit === 0) return { messages: [], more: false };
    const key = targetKey(target);
    const floor = 'channel' in target ? this.lifeStart(target.channel) : undefined;
    // The queue first: a batch written between the two reads is then seen twice (and merged), never missed.
    let queued = this.queue.pendingFor(key);
    if (floor !== undefined) queued = queued.filter((m) => m.id > floor);
    const stored = await this.store.page(key, { ...opts, limit, floor });
    if (opts.after !== undefined) {
      const after = opts.after;
      queued = queued.filter((m) => m.id > after);
      const all = union(stored.messages, queued);
      return { messages: all.slice(0, limit), more: stored.more || all.length > limit };
    }
    if (opts.before !== undefined) {
      const before = opts.before;
      queued = queued.filter((m) => m.id < before);
    }
    const all = union(stored.messages, queued);
    return { messages: all.slice(Math.max(0, all.length - limit)), more: stored.more || all.length > limit };
  }

  async lastFrom(user: string): Promise<ChatMessage | undefined> {
    const key = nameKey(user);
    for (const m of this.queue.newestFirst()) if (nameKey(m.from) === key && !this.former(m)) return m;
    const last = await this.store.lastFrom(user);
    return last && !this.former(last) ? last : undefined;
  }

  queueDepth(): number { return this.queue.depth; }
  dropped(): number { return this.queue.dropped; }

  async flush(): Promise<void> {
    const left = await this.queue.flush(this.config.shutdownFlushSeconds * 1000);
    if (left > 0) throw new Error(`${left} message(s) could not be written to the database`);
  }

  async importMessages(messages: ChatMessage[]): Promise<number> {
    const fresh = new Map<string, ChatMessage>();
    for (const m of messages) {
      if (!isMessageId(m.id)) throw new WhiskrError('BAD_ARGUMENTS', `message id ${JSON.stringify(m.id)} is not 13 base-36 digits`);
      if (!isValidUserName(m.from) && !m.bot) throw new WhiskrError('BAD_ARGUMENTS', `message ${m.id}: bad sender ${JSON.stringify(m.from)}`);
      if (m.channel === undefined && m.to === undefined) throw new WhiskrError('BAD_ARGUMENTS', `message ${m.id} has neither a channel nor a recipient`);
      if (Number.isNaN(Date.parse(m.ts))) throw new WhiskrError('BAD_ARGUMENTS', `message ${m.id}: bad time ${JSON.stringify(m.ts)}`);
      if (!fresh.has(m.id)) fresh.set(m.id, m);
    }
    const ids = [...fresh.keys()];
    const stored = await this.store.existingIds(ids);
    const queued = new Set<string>();
    for (const m of this.queue.newestFirst()) if (fresh.has(m.id)) queued.add(m.id);
    const toWrite = [...fresh.values()].filter((m) => !stored.has(m.id) && !queued.has(m.id)).sort(byId);
    for (let i = 0; i < toWrite.length; i += 1000) await this.store.insert(toWrite.slice(i, i + 1000));
    if (toWrite.length) this.ids.seed(toWrite[toWrite.length - 1]!.id);
    return toWrite.length;
  }

  /** Apply the retention setting now; returns how many messages were removed. */
  async prune(): Promise<number> {
    if (this.config.retentionDays <= 0) return 0;
    const cutoff = this.clock.now() - this.config.retentionDays * DAY_MS;
    let total = 0;
    for (;;) {
      const n = await this.store.pruneBefore(cutoff, 5_000);
      total += n;
      if (n < 5_000) return total;
      await new Promise((r) => setImmediate(r));
    }
  }

  /**
   * The newest messages containing `text` (see README for what matches) in the channels `channelNames`
   * and the direct messages of `user`, oldest first. Scans newest first, a step at a time, at most
   * SEARCH_SPAN stored messages.
   */
  async search(user: string, channelNames: string[], text: string, limit: number): Promise<SearchResult> {
    const keys = channelNames.map(nameKey);
    const readable = new Set(keys);
    const userKey = nameKey(user);
    const needle = text.toLowerCase();
    const found: ChatMessage[] = [];
    for (const m of this.queue.newestFirst()) {
      if (found.length > limit) break;
      const k = messageKey(m);
      const mine = readable.has(k) || (k.startsWith('@') && k.slice(1).split('|').includes(userKey));
      if (mine && m.text.toLowerCase().includes(needle) && !this.former(m)) found.push(m);
    }
    const seen = new Set(found.map((m) => m.id));
    let before: string | undefined;
    let scanned = 0;
    let exhausted = false;
    while (found.length <= limit && scanned < SEARCH_SPAN) {
      const from = await this.store.idBelow(before, SEARCH_STEP);
      const rows = await this.store.searchWindow({ keys, user, text, from, before, limit: limit + 1 - found.length });
      for (const m of rows) if (!seen.has(m.id) && !this.former(m)) { seen.add(m.id); found.push(m); }
      scanned += SEARCH_STEP;
      if (from === undefined) { exhausted = true; break; }
      before = from;
      await new Promise((r) => setImmediate(r));
    }
    const more = found.length > limit || (!exhausted && scanned >= SEARCH_SPAN);
    return { messages: found.slice(0, limit).sort(byId), more };
  }
}
