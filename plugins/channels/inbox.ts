import { randomUUID } from 'node:crypto';
import { WhiskrError, event, nameKey, type ChatMessage, type Session } from '../../core/index.js';
import type { ChannelState } from './state.js';

/** Rows read from the store at a time; a page is then cut to what fits the byte budget (rows past it are read again). */
const PAGE_ROWS = 25;
/** How long a session may take to take in one page before it is treated as not reading (and closed). */
const PAGE_TIMEOUT_MS = 30_000;
/** A claim on kept messages not renewed for this long is void (a delivery renews it after every page). */
const CLAIM_STALE_MS = 2 * PAGE_TIMEOUT_MS;

/**
 * Direct messages kept for users who are offline. Capped per recipient and per sender (one account cannot
 * fill someone's inbox for everyone), handed over at login a page at a time — each page small enough for
 * the output bound however the format escapes it — and dropped from the store only once the page has been
 * written to the network: a login cut off mid-way gets the rest next time, and nothing twice but the page
 * that was being written when it was cut. A delivery first claims the user's rows in one statement, so
 * that in a cluster two logins at the same moment on two nodes never both hand a row over.
 */
export class Inbox {
  /** Per user: checking the caps and storing are one step; one delivery at a time (exactly once). */
  private readonly storing = new Locks();
  private readonly delivering = new Locks();

  constructor(private readonly state: ChannelState) {}

  /** Keep a message for an offline user, or refuse it (RATE_LIMITED) when a cap is reached. */
  keep(to: string, msg: ChatMessage): Promise<void> {
    return this.storing.run(to, async () => {
      const { maxOfflinePerUser: max, maxOfflinePerSender: perSender } = this.state.config;
      const store = this.state.store;
      if (max > 0 && (await store.offlineCount(to)) >= max) {
        throw new WhiskrError('RATE_LIMITED', `${to} has ${max} messages waiting already; try again when they are back.`);
      }
      if (perSender > 0 && (await store.offlineCount(to, msg.from)) >= perSender) {
        throw new WhiskrError('RATE_LIMITED', `You have ${perSender} messages waiting for ${to} already; try again when they are back.`);
      }
      await store.storeOffline(to, { ...msg, offline: true }, this.state.now());
    });
  }

  /** Hand a user's sessions the messages kept for them, oldest first, page by page; returns how many. */
  deliver(user: string, sessions: Iterable<Session>): Promise<number> {
    const list = [...sessions];
    return this.delivering.run(user, () => this.deliverPages(user, list));
  }

  private async deliverPages(user: string, sessions: Session[]): Promise<number> {
    const { output, delivery, cluster } = this.state.ctx;
    if (sessions.every((s) => s.closed)) return 0;
    // The rows are claimed first, in one statement: a login on another node at the same moment gets none of them.
    const claim = { by: `${cluster.node}:${randomUUID()}`, node: cluster.node, at: this.state.now() };
    const live = cluster.enabled ? cluster.nodes() : [cluster.node];
    if ((await this.state.store.claimOffline(user, claim, claim.at - CLAIM_STALE_MS, live)) === 0) return 0;
    // Half the bound: the page and whatever else the session is sent meanwhile stay within it.
    const budget = Math.max(1, Math.floor(output.maxBytes / 2));
    let after = 0;
    let delivered = 0;
    try {
      for (;;) {
        const open = sessions.filter((s) => !s.closed);
        if (open.length === 0) return delivered;
        const rows = await this.state.store.offlinePage(claim.by, after, PAGE_ROWS);
        if (rows.length === 0) return delivered;
        const formats = [...new Set(open.map((s) => s.format))];
        const page: number[] = [];
        let bytes = 0;
        for (const { row, message } of rows) {
          const e = event('message', message);
          const size = Math.max(...formats.map((f) => output.bytes(e, f)));
          if (page.length > 0 && bytes + size > budget) break;
          delivery.toSessions(open, e);
          page.push(row);
          bytes += size;
        }
        const written = await Promise.all(open.map((s) => s.whenWritten(PAGE_TIMEOUT_MS)));
        if (!written.some(Boolean)) return delivered;
        await this.state.store.dropOffline(page);
        await this.state.store.touchClaim(claim.by, this.state.now());
        after = page[page.length - 1]!;
        delivered += page.length;
      }
    } finally {
      // What was not handed over (the sessions went) waits for the next login, wherever it is.
      await this.state.store.releaseClaim(claim.by);
    }
  }
}

/** One task at a time per user name (any case), in the order they came. */
class Locks {
  private readonly tails = new Map<string, Promise<unknown>>();
  run<T>(user: string, fn: () => Promise<T>): Promise<T> {
    const key = nameKey(user);
    const before = this.tails.get(key) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => { if (this.tails.get(key) === tail) this.tails.delete(key); });
    return run;
  }
}
