import { Connection, ConnectionError, type Endpoint, type Reply } from './connection.js';
import { ChatModel, STATUS, type ApplyContext } from './model.js';
import { is, keyOf, type WireEvent } from './events.js';
import { typed } from './typed.js';
import { catchUp } from './catchup.js';

export interface Credentials { name: string; password: string; create?: boolean }

export interface ClientOptions extends Endpoint {
  /** Waits between reconnect attempts, in ms (the last one repeats); a little jitter is added. */
  backoff?: number[];
  /** How the client waits (tests hold a reconnect here). */
  sleep?: (ms: number) => Promise<void>;
  /** Messages fetched per `/history` page. */
  pageSize?: number;
}

/** Commands the client handles itself (listed for completion next to the server's). */
export const CLIENT_COMMANDS = ['quit', 'query', 'close', 'clear', 'reconnect', 'newchannel'];

const DEFAULT_BACKOFF = [500, 1000, 2000, 5000, 10_000, 30_000];
/** Errors after which reconnecting would only fail again. */
const FATAL_LOGIN = new Set(['INVALID_CREDENTIALS', 'BANNED', 'NAME_TAKEN', 'INVALID_NAME', 'WEAK_PASSWORD', 'REGISTRATION_CLOSED']);

type Tag = ApplyContext;

/**
 * The client's connection life: log in (or create the account), then keep the model in step with the
 * server. When the connection drops it reconnects with backoff, logs in again (with the reconnect token
 * from /login +token, or the password kept in memory when the server gives no token), rejoins the
 * channels, and fetches what each channel and direct conversation missed with `/history … after=`, from
 * the last id held before the drop: no gap, no duplicate.
 */
export class ChatClient {
  readonly model = new ChatModel();
  private conn?: Connection;
  private name?: string;
  private password?: string;
  private token?: string;
  private stopped = false;
  private reconnecting = false;
  /** While a reconnect is catching up, replayed history counts as unread. */
  private resyncing = false;
  private syncedTarget?: string;
  private readonly whoPending = new Set<string>();
  /** Ends the wait before the next reconnect attempt (/reconnect, /quit). */
  private wake?: () => void;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly backoff: number[];
  private readonly pageSize: number;
  /** The session ended for good (logged out, or logging in again was refused): the UI goes back to the login screen. */
  onFatal: (text: string) => void = () => {};

  constructor(private readonly opts: ClientOptions) {
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.pageSize = opts.pageSize ?? 200;
    this.model.onChange(() => this.syncTarget());
  }

  get connected(): boolean { return this.conn?.open === true; }

  /**
   * Connect and log in (or register). Resolves with undefined on success, or the error a login screen
   * shows in place (wrong password, name taken, banned until…, cannot connect).
   */
  async login(creds: Credentials): Promise<string | undefined> {
    this.stopped = false;
    this.model.setConnection('connecting', `${this.opts.host}:${this.opts.port}`);
    let conn: Connection;
    try {
      conn = await this.connect();
    } catch (err) {
      this.model.setConnection('offline', errorText(err));
      return `Cannot connect: ${errorText(err)}`;
    }
    const verb = creds.create ? 'register' : 'login';
    let result: Reply;
    try {
      result = await conn.request(`/${verb} +token ${creds.name} ${creds.password}`, { tag: { quiet: false, command: verb } satisfies Tag });
    } catch (err) {
      this.model.setConnection('offline', errorText(err));
      return `Connection lost: ${errorText(err)}`;
    }
    const reply = result.reply;
    if (!reply || reply.type !== 'login') {
      conn.close();
      this.conn = undefined;
      this.model.setConnection('offline', '');
      return reply?.type === 'error' ? loginError(reply) : 'The server did not log us in.';
    }
    this.adopt(reply, creds.password);
    this.model.setConnection('online', `${this.opts.host}:${this.opts.port}`);
    void this.afterLogin(false);
    return undefined;
  }

  /** What the user typed in the input line, for the current conversation (typed.ts). */
  input(line: string): Promise<void> { return typed(this, line); }

  /** Reconnect now, in any state: online (a fresh connection), waiting to retry (no more waiting), closed (after a kick). */
  reconnectNow(): void {
    if (!this.name) return;
    this.stopped = false;
    if (this.conn?.open) this.conn.close();
    else if (this.reconnecting) this.wake?.();
    else void this.reconnect('reconnecting as asked', true);
  }

  /** Send a command as the user typed it; its reply is shown in `origin`. */
  async command(line: string, origin = this.model.current): Promise<WireEvent | undefined> {
    if (!this.conn?.open) {
      this.model.info(this.reconnecting ? 'Not connected: reconnecting…' : 'Not connected.', 'error', origin);
      return undefined;
    }
    const name = line.startsWith('/') ? line.slice(1).split(' ')[0]!.toLowerCase() : 'msg';
    try {
      const { reply } = await this.conn.request(line, { tag: { command: name, origin } satisfies Tag });
      return reply;
    } catch (err) {
      if (!(err instanceof ConnectionError)) throw err;
      return undefined;
    }
  }

  /** Create a private channel with these members (the new-channel dialog). Resolves with an error text, if any. */
  async createChannel(name: string, members: string[]): Promise<string | undefined> {
    const channel = name.startsWith('#') ? name : `#${name}`;
    const reply = await this.command(`/channel create ${channel}${members.length ? ' ' + members.join(' ') : ''}`);
    if (!reply) return this.connected ? undefined : 'Not connected.';
    return reply.type === 'error' ? `${String(reply.text)}` : undefined;
  }

  /** Ask who is online (the new-channel dialog lists them). */
  async refreshOnline(): Promise<void> { await this.quiet('/who'); }

  /** The members pane scrolled near the end of what is loaded of a big channel: fetch the next page. */
  async fetchMoreMembers(key = this.model.current): Promise<void> {
    const conv = this.model.conversations.get(key);
    if (!conv || conv.kind !== 'channel' || conv.membersNext === undefined || conv.loadingMembers || !this.conn?.open) return;
    conv.loadingMembers = true;
    try {
      await this.quiet(`/who ${conv.name} after=${conv.membersNext}`, { morePage: true });
    } finally {
      conv.loadingMembers = false;
      // The page was painted while this was still loading: paint again, which asks for the next if the pane still needs it.
      this.model.changed();
    }
  }

  /** Scrolling reached the top: fetch older messages of the current conversation. */
  async fetchOlder(key = this.model.current): Promise<void> {
    const conv = this.model.conversations.get(key);
    if (!conv || conv.kind === 'status' || !conv.moreBefore || conv.loadingOlder || !this.conn?.open) return;
    conv.loadingOlder = true;
    const before = conv.firstId ? ` before=${conv.firstId}` : '';
    try {
      await this.quiet(`/history ${conv.name} ${this.pageSize}${before}`, { history: 'older' });
    } finally {
      conv.loadingOlder = false;
    }
  }

  /**
   * Say goodbye and close. Not `/logout` first: that would part every channel with "Logged out" and the
   * text would be lost. The reconnect token dies with this process (it is never written down).
   */
  async quit(text = ''): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const conn = this.conn;
    if (conn?.open) {
      try {
        await Promise.race([conn.request(`/quit${text ? ' ' + text : ''}`, { tag: { quiet: true } satisfies Tag, timeoutMs: 2000 }), this.sleep(2000)]);
      } catch { /* closing anyway */ }
      conn.close();
    }
    this.model.setConnection('closed', 'quit');
  }

  /** Log out (revoking the reconnect token) and go back to the login screen. */
  async logout(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const conn = this.conn;
    if (conn?.open) {
      try { await conn.request('/logout', { tag: { quiet: true } satisfies Tag, timeoutMs: 2000 }); } catch { /* closing anyway */ }
      conn.close();
    }
    this.model.setConnection('closed', 'logged out');
    this.onFatal('You logged out.');
  }

  /** Stop without saying goodbye (tests, fatal errors). */
  close(): void {
    this.stopped = true;
    this.wake?.();
    this.conn?.close();
  }

  private async connect(): Promise<Connection> {
    const conn = await Connection.open(this.opts);
    this.conn = conn;
    conn.onEvent = (e, req) => this.event(e, req);
    conn.onClose = (reason) => this.lost(conn, reason);
    return conn;
  }

  private adopt(login: WireEvent, password: string | undefined): void {
    this.name = String(login.user);
    this.conn!.me = this.name;
    if (typeof login.token === 'string') { this.token = login.token; this.password = undefined; }
    else if (password !== undefined) this.password = password;
  }

  private event(e: WireEvent, req?: { tag: unknown; isReply: boolean }): void {
    const tag = (req?.tag ?? {}) as Tag;
    let ctx: ApplyContext = req?.isReply ? tag : {};
    if (tag.quiet && !req?.isReply && (e.type === 'ok' || e.type === 'error' || e.type === 'history')) ctx = { ...ctx, quiet: true, history: tag.history };
    if (this.resyncing && e.type === 'history' && !ctx.history) ctx = { ...ctx, history: 'catchup' };
    this.model.apply(e, ctx);
    if (is(e, 'join') && this.model.isMe(e.user)) void this.who(e.channel);
    if (e.type === 'kicked' || e.type === 'banned') {
      this.stopped = true;
      this.model.setConnection('closed', e.type);
    }
  }

  private async who(channel: string): Promise<void> {
    const key = keyOf(channel);
    if (this.whoPending.has(key)) return;
    this.whoPending.add(key);
    try { await this.quiet(`/who ${channel}`); } finally { this.whoPending.delete(key); }
  }

  private async quiet(line: string, extra: ApplyContext = {}): Promise<Reply | undefined> {
    if (!this.conn?.open) return undefined;
    try {
      return await this.conn.request(line, { tag: { quiet: true, ...extra } satisfies Tag });
    } catch (err) {
      if (err instanceof ConnectionError) return undefined;
      throw err;
    }
  }

  /** Keep the server's current target (used by /me, /away…) on the conversation the user looks at. */
  private syncTarget(): void {
    const conv = this.model.currentConversation;
    if (conv.kind === 'status' || !this.conn?.open || !this.name || this.syncedTarget === conv.key) return;
    if (conv.kind === 'channel' && !conv.joined) return;
    this.syncedTarget = conv.key;
    if (conv.kind === 'dm' && !this.model.users.has(conv.key)) void this.quiet(`/whois ${conv.name}`);
    // A direct conversation opened here: its history says whether there is anything older to page to.
    if (conv.kind === 'dm' && conv.lastId === undefined && conv.moreBefore && !conv.loadingOlder) void this.fetchOlder(conv.key);
    void this.quiet(`/switch ${conv.name}`);
  }

  /** What the client knows of everyone it shows is refreshed: who is online, and each direct conversation's person. */
  private async afterLogin(reconnect: boolean): Promise<void> {
    await Promise.all([this.quiet('/help'), this.quiet('/who'), ...this.model.directs().map((d) => this.quiet(`/whois ${d.name}`))]);
    if (reconnect) { this.syncedTarget = undefined; this.syncTarget(); }
    if (!reconnect) this.model.commands = [...new Set([...this.model.commands, ...CLIENT_COMMANDS])];
  }

  private lost(conn: Connection, reason: string): void {
    if (conn !== this.conn) return;
    this.conn = undefined;
    this.syncedTarget = undefined;
    if (this.stopped || !this.name) {
      if (this.model.connection.state !== 'closed') this.model.setConnection(this.stopped ? 'closed' : 'offline', reason);
      return;
    }
    void this.reconnect(reason);
  }

  private async reconnect(reason: string, now = false): Promise<void> {
    if (this.reconnecting) return;
    this.reconnecting = true;
    this.resyncing = true;
    // What each conversation held before the drop: catch-up starts here, whatever arrives live meanwhile.
    const since = new Map([...this.model.conversations.values()].filter((c) => c.kind !== 'status').map((c) => [c.key, c.lastId]));
    const me = this.model.users.get(keyOf(this.name ?? ''));
    const away = me?.status === 'away' ? me.text || 'away' : undefined;
    for (const [key, after] of since) this.model.conversations.get(key)?.openGap(after);
    this.model.setConnection('reconnecting', reason);
    this.model.info(`Disconnected: ${reason}. Reconnecting…`, 'error', STATUS);
    if (this.model.current !== STATUS) this.model.info(`Disconnected: ${reason}. Reconnecting…`, 'error');
    try {
      for (let attempt = 0; !this.stopped; attempt++) {
        const base = this.backoff[Math.min(attempt, this.backoff.length - 1)]!;
        if (!now || attempt > 0) await this.countdown(attempt + 1, base + Math.floor(Math.random() * base * 0.2), reason);
        if (this.stopped) return;
        this.model.setConnection('connecting', `attempt ${attempt + 1}`);
        const error = await this.relogin();
        if (error === undefined) break;
        reason = error;
        if (FATAL_LOGIN.has(error.split(':')[0]!)) {
          this.stopped = true;
          this.model.setConnection('closed', error);
          const sentence = error.slice(error.indexOf(':') + 1).trim();
          this.model.info(`Cannot log in again: ${sentence}`, 'error');
          this.onFatal(`Logged out: ${sentence}`);
          return;
        }
      }
      if (this.stopped) return;
      this.model.setConnection('online', `${this.opts.host}:${this.opts.port}`);
      await this.resync(since);
      // A new session starts online: the user's /away stays as they set it.
      if (away !== undefined) await this.quiet(`/away ${away}`);
      this.model.info('Reconnected.', 'event', STATUS);
      if (this.model.current !== STATUS) this.model.info('Reconnected.', 'event');
    } finally {
      for (const c of this.model.conversations.values()) c.closeGap();
      this.resyncing = false;
      this.reconnecting = false;
    }
  }

  /** Wait before a reconnect attempt, showing the seconds left in the status bar; /reconnect ends it early. */
  private async countdown(attempt: number, ms: number, reason: string): Promise<void> {
    const woken = new Promise<void>((resolve) => { this.wake = resolve; });
    let awake = false;
    void woken.then(() => { awake = true; });
    for (let left = ms; left > 0 && !awake && !this.stopped;) {
      this.model.setConnection('reconnecting', `retry ${attempt} in ${Math.ceil(left / 1000)}s: ${reason}`);
      const step = left % 1000 || 1000;
      await Promise.race([this.sleep(step), woken]);
      left -= step;
    }
    this.wake = undefined;
  }

  /** Connect and log in again; undefined on success, else `CODE: text`. */
  private async relogin(): Promise<string | undefined> {
    let conn: Connection;
    try { conn = await this.connect(); } catch (err) { return errorText(err); }
    try {
      const viaToken = this.token !== undefined;
      const line = viaToken ? `/resume ${this.name} ${this.token}` : `/login +token ${this.name} ${this.password ?? ''}`;
      let { reply } = await conn.request(line, { tag: { quiet: true } satisfies Tag });
      if (viaToken && reply?.type === 'error' && reply.code === 'INVALID_CREDENTIALS' && this.password !== undefined) {
        this.token = undefined;
        ({ reply } = await conn.request(`/login +token ${this.name} ${this.password}`, { tag: { quiet: true } satisfies Tag }));
      }
      if (reply?.type === 'login') { this.adopt(reply, this.password); return undefined; }
      conn.close();
      return reply?.type === 'error' ? `${String(reply.code)}: ${String(reply.text)}` : 'no login reply';
    } catch (err) {
      return errorText(err);
    }
  }

  /** Rejoin channels the server did not join us to, then fetch what every conversation missed. */
  private async resync(since: Map<string, string | undefined>): Promise<void> {
    await catchUp(this.model, (line, ctx) => this.quiet(line, ctx), since, this.pageSize);
    await this.afterLogin(true);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The login screen's text for a refused login. */
export function loginError(e: WireEvent): string {
  const text = String(e.text ?? '');
  switch (e.code) {
    // The server does not say whether the name exists; someone new may simply have no account yet.
    case 'INVALID_CREDENTIALS': return 'Wrong name or password. No account yet? Choose [ Create account ].';
    case 'NAME_TAKEN': return text || 'That name is taken.';
    case 'BANNED': return text || 'You are banned.';
    default: return text || String(e.code);
  }
}
