import { Conversation, type InfoLevel } from './conversation.js';
import { describeEvent } from './describe.js';
import { is, isChannelName, isMessage, keyOf, type ChatMessage, type PresenceStatus, type WireEvent } from './events.js';

export type ConnectionState = 'offline' | 'connecting' | 'online' | 'reconnecting' | 'closed';

export interface UserInfo { name: string; status: PresenceStatus; bot: boolean; admin: boolean; text?: string }

/**
 * Why an event arrived, as far as the connection layer knows:
 * - `quiet`: the reply to a request the client made on its own (rejoin, member list, catch-up): it
 *   updates the state but prints no reply line;
 * - `command`: the reply to a command the user typed, shown in the conversation it was typed in (`origin`);
 * - `history`: how a history reply is merged: `replay` (on join), `older` (scrolling up), `catchup`
 *   (after a reconnect: counts as unread).
 */
export interface ApplyContext {
  quiet?: boolean;
  command?: string;
  origin?: string;
  history?: 'replay' | 'older' | 'catchup';
  /** A `who` page after the first: added to the members loaded so far. */
  morePage?: boolean;
}

export interface SidebarItem { key: string; name: string; kind: Conversation['kind']; unread: number; mentions: number; current: boolean; joined: boolean }

const STATUS = '*status';

/**
 * The client's state, separate from any widget: events in, state out. Conversations (the status
 * buffer, channels, direct conversations) with unread counts and mentions, members and presence,
 * the connection state and who we are.
 */
export class ChatModel {
  me?: string;
  admin = false;
  connection: { state: ConnectionState; detail: string } = { state: 'offline', detail: '' };
  readonly conversations = new Map<string, Conversation>();
  /** Everyone whose presence we know (from /who, presence events, joins), by lowercase name. */
  readonly users = new Map<string, UserInfo>();
  /** Command names for completion (from /help, plus the client's own). */
  commands: string[] = [];
  current = STATUS;
  private readonly listeners = new Set<() => void>();
  /** Called for a new message that mentions us (or a direct message) outside the conversation on screen. */
  onMention: (conv: Conversation) => void = () => {};

  constructor() {
    this.conversations.set(STATUS, new Conversation(STATUS, 'status', 'status'));
  }

  get status(): Conversation { return this.conversations.get(STATUS)!; }
  get currentConversation(): Conversation { return this.conversations.get(this.current) ?? this.status; }
  get(name: string): Conversation | undefined { return this.conversations.get(keyOf(name)); }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  changed(): void { for (const fn of this.listeners) fn(); }

  /** Take one event from the server. */
  apply(e: WireEvent, ctx: ApplyContext = {}): void {
    this.reduce(e, ctx);
    this.changed();
  }

  private reduce(e: WireEvent, ctx: ApplyContext): void {
    if (is(e, 'message')) {
      const conv = this.addMessage(e, { unread: true });
      // `/msg bob …` typed in a channel: say there that it went, as IRC clients do.
      if (ctx.command === 'msg' && !ctx.quiet && ctx.origin && keyOf(ctx.origin) !== conv.key && this.isMe(e.from)) {
        this.info(`-> ${conv.name}: ${e.text}`, 'info', ctx.origin);
      }
      return;
    }
    if (is(e, 'history')) {
      const conv = this.conversationFor(e.target);
      const mode = ctx.history ?? 'replay';
      for (const m of e.messages) {
        // What the user cleared (/clear) stays cleared when a rejoin replays it; scrolling up brings it back.
        if (isMessage(m) && (mode === 'older' || !conv.wasCleared(m.id))) this.addMessage(m, { unread: mode === 'catchup', conv, placement: mode === 'catchup' ? 'append' : 'ordered' });
      }
      if (mode !== 'catchup') conv.moreBefore = typeof e.more === 'boolean' ? e.more : e.messages.length > 0;
      if (mode === 'older') conv.loadingOlder = false;
      if (!ctx.quiet && ctx.command && e.messages.length === 0) this.info(`No more history in ${conv.name}.`, 'info', ctx.origin);
      return;
    }
    if (is(e, 'login')) {
      this.me = e.user;
      this.admin = e.role === 'admin';
      this.setUser(e.user, { status: 'online' });
      if (!ctx.quiet) this.info(describeEvent(e)[0]!, 'info', STATUS);
      return;
    }
    if (is(e, 'join')) { this.join(e, ctx); return; }
    if (is(e, 'crowd')) { this.crowd(e); return; }
    if (is(e, 'part')) { this.part(e); return; }
    if (is(e, 'presence')) {
      const known = this.users.get(keyOf(e.user));
      this.setUser(e.user, { status: e.status, text: e.text });
      const dm = this.conversations.get(keyOf(e.user));
      if (ctx.command && !ctx.quiet) this.info(describeEvent(e)[0]!, 'info', ctx.origin);
      else if (dm && known && known.status !== e.status) dm.addInfo(describeEvent(e)[0]!, 'event');
      return;
    }
    if (is(e, 'topic')) {
      const conv = this.get(e.channel);
      const topic = typeof e.topic === 'string' ? e.topic : '';
      // The reply to `/topic #c` (asking) is the topic as it is, not news of a change.
      if (ctx.command === 'topic' && !ctx.quiet && (!conv || conv.topic === topic)) {
        this.info(topic ? `The topic of ${e.channel}: ${topic}${e.by ? ` (set by ${e.by})` : ''}` : `${e.channel} has no topic.`, 'info', ctx.origin);
        return;
      }
      if (conv) { conv.topic = topic; conv.addInfo(describeEvent(e)[0]!, 'event'); }
      return;
    }
    if (is(e, 'who')) {
      const listed = new Set<string>();
      for (const u of e.users) {
        if (typeof u?.name !== 'string') continue;
        listed.add(keyOf(u.name));
        this.setUser(u.name, { status: u.status, bot: u.bot === true, admin: u.role === 'admin' });
      }
      // The list of everyone online: whoever is not in it is not online (they may have left while we were away).
      if (e.channel === undefined) for (const u of this.users.values()) if (!listed.has(keyOf(u.name)) && !this.isMe(u.name)) this.setUser(u.name, { status: 'offline', text: '' });
      const conv = typeof e.channel === 'string' ? this.get(e.channel) : undefined;
      if (conv) {
        if (!ctx.morePage) conv.members.clear();
        for (const u of e.users) if (typeof u?.name === 'string') conv.members.set(keyOf(u.name), u.name);
        conv.memberTotal = typeof e.count === 'number' ? e.count : undefined;
        conv.membersNext = typeof e.next === 'string' ? e.next : undefined;
      }
      if (!ctx.quiet) this.lines(e, 'info', ctx.origin);
      return;
    }
    if (is(e, 'help')) {
      const names = (Array.isArray(e.commands) ? e.commands : []).map((c) => (typeof c?.name === 'string' ? c.name : '')).filter(Boolean);
      if (names.length > 1) this.commands = names;
      if (!ctx.quiet) this.lines(e, 'info', ctx.origin);
      return;
    }
    if (e.type === 'whois' && typeof e.user === 'string' && isPresence(e.status)) {
      this.setUser(e.user, { status: e.status, text: typeof e.text === 'string' ? e.text : '', bot: e.bot === true, admin: e.role === 'admin' });
      if (!ctx.quiet) this.lines(e, 'info', ctx.origin);
      return;
    }
    if (e.type === 'error') { if (!ctx.quiet) this.lines(e, 'error', ctx.origin); return; }
    if (e.type === 'notice' || e.type === 'invite') {
      this.lines(e, 'notice', STATUS);
      if (this.current !== STATUS) this.lines(e, 'notice', this.current);
      return;
    }
    if (e.type === 'kicked' || e.type === 'banned' || e.type === 'shutdown') {
      for (const conv of this.conversations.values()) conv.addInfo(describeEvent(e)[0]!, 'error');
      return;
    }
    if (ctx.quiet || e.type === 'welcome' || (e.type === 'pong' && !ctx.command)) return;
    this.lines(e, 'info', ctx.origin);
  }

  private join(e: { channel: string; user: string; topic?: string; members?: string[]; count?: number; more?: boolean; private?: boolean }, ctx: ApplyContext): void {
    const conv = this.conversationFor(e.channel, 'channel');
    conv.name = e.channel;
    if (this.isMe(e.user)) {
      const rejoin = conv.messageCount > 0 || conv.lastId !== undefined;
      conv.joined = true;
      if (typeof e.topic === 'string') conv.topic = e.topic;
      if (typeof e.private === 'boolean') conv.private = e.private;
      if (Array.isArray(e.members)) {
        conv.members.clear();
        for (const m of e.members) if (typeof m === 'string') conv.members.set(keyOf(m), m);
        // A big channel lists its first names only: the rest come a page at a time as the pane scrolls.
        conv.memberTotal = typeof e.count === 'number' ? e.count : undefined;
        conv.membersNext = e.more === true ? e.members.at(-1) : undefined;
      }
      conv.members.set(keyOf(e.user), e.user);
      if (!rejoin) conv.addInfo(`You joined ${e.channel}${conv.private ? ' (private)' : ''}${conv.topic ? ` — topic: ${conv.topic}` : ''}`, 'event');
      // A channel the user asked for becomes current; so does the first one after logging in.
      if ((ctx.command && !ctx.quiet) || this.current === STATUS) this.select(conv.key);
    } else {
      conv.members.set(keyOf(e.user), e.user);
      if (!this.users.has(keyOf(e.user))) this.setUser(e.user, { status: 'online' });
      conv.addInfo(`${e.user} joined ${e.channel}`, 'event');
    }
  }

  /** A big channel's joins and parts of the last moments, in one. */
  private crowd(e: { channel: string; joined: number; left: number; joinedNames: string[]; leftNames: string[] }): void {
    const conv = this.get(e.channel);
    if (!conv) return;
    for (const n of e.joinedNames) conv.members.set(keyOf(n), n);
    for (const n of e.leftNames) conv.members.delete(keyOf(n));
    if (conv.memberTotal !== undefined) conv.memberTotal = Math.max(conv.members.size, conv.memberTotal + e.joined - e.left);
    const part = (n: number, names: string[], verb: string) => {
      if (n === 0) return '';
      const rest = n - names.length;
      return names.length === n && n <= 2 ? `${names.join(' and ')} ${verb}` : `${n} ${n === 1 ? 'person' : 'people'} ${verb}${names.length ? ` (${names.join(', ')}${rest > 0 ? ` and ${rest} more` : ''})` : ''}`;
    };
    conv.addInfo([part(e.joined, e.joinedNames, 'joined'), part(e.left, e.leftNames, 'left')].filter(Boolean).join('; '), 'event');
  }

  private part(e: { channel: string; user: string; text: string }): void {
    const conv = this.get(e.channel);
    if (!conv) return;
    const text = `${e.user} left ${e.channel}${e.text ? `: ${e.text}` : ''}`;
    if (this.isMe(e.user)) {
      this.info(text.replace(e.user, 'You'), 'event', STATUS);
      this.close(conv.key);
    } else {
      conv.members.delete(keyOf(e.user));
      conv.addInfo(text, 'event');
    }
  }

  /** Add a chat message to its conversation (deduplicated); counts unread and mentions when asked. */
  addMessage(m: ChatMessage, opts: { unread: boolean; conv?: Conversation; placement?: 'append' | 'ordered' }): Conversation {
    const conv = opts.conv ?? this.conversationFor(m.channel ?? (this.isMe(m.from) ? m.to! : m.from), m.channel ? 'channel' : 'dm');
    const self = this.isMe(m.from);
    const mention = conv.kind === 'dm' || mentions(this.me, m.text);
    if (!conv.addMessage(m, this.me, mention, opts.placement)) return conv;
    if (m.bot) this.setUser(m.from, { bot: true, status: 'online' });
    if (opts.unread && !self && conv.key !== this.current) {
      conv.unread += 1;
      if (mention) { conv.mentions += 1; this.onMention(conv); }
    }
    return conv;
  }

  /** The conversation for a channel or user name, created when new. */
  conversationFor(name: string, kind: 'channel' | 'dm' = isChannelName(name) ? 'channel' : 'dm'): Conversation {
    const key = keyOf(name);
    let conv = this.conversations.get(key);
    if (!conv) {
      conv = new Conversation(key, name, kind);
      this.conversations.set(key, conv);
    }
    return conv;
  }

  /** Make a conversation current; its unread count and mentions are cleared. */
  select(key: string): boolean {
    const conv = this.conversations.get(keyOf(key));
    if (!conv) return false;
    this.current = conv.key;
    conv.unread = 0;
    conv.mentions = 0;
    this.changed();
    return true;
  }

  /** Open (or go to) the direct conversation with a user. */
  openDm(name: string): Conversation {
    const conv = this.conversationFor(name, 'dm');
    this.select(conv.key);
    return conv;
  }

  /** Close a conversation (the status buffer stays); the one before it becomes current. */
  close(key: string): void {
    if (key === STATUS || !this.conversations.has(key)) return;
    const order = this.sidebar().map((i) => i.key);
    const at = order.indexOf(key);
    this.conversations.delete(key);
    const next = [order[at - 1], order[at + 1]].find((k) => k !== undefined && k !== STATUS);
    if (this.current === key) this.current = next ?? STATUS;
    this.changed();
  }

  /** Move to the next/previous conversation in sidebar order. */
  cycle(step: number): void {
    const order = this.sidebar().map((i) => i.key);
    const at = order.indexOf(this.current);
    this.select(order[(at + step + order.length) % order.length]!);
  }

  /** The status buffer, then channels, then direct conversations, each by name. */
  sidebar(): SidebarItem[] {
    const rank = { status: 0, channel: 1, dm: 2 } as const;
    return [...this.conversations.values()]
      .sort((a, b) => rank[a.kind] - rank[b.kind] || a.key.localeCompare(b.key))
      .map((c) => ({ key: c.key, name: c.name, kind: c.kind, unread: c.unread, mentions: c.mentions, current: c.key === this.current, joined: c.kind !== 'channel' || c.joined }));
  }

  /** Members of a channel with what we know of them: bots last, then by name. */
  membersOf(key: string): UserInfo[] {
    const conv = this.conversations.get(keyOf(key));
    if (!conv) return [];
    return [...conv.members.values()]
      .map((name) => this.users.get(keyOf(name)) ?? { name, status: 'offline' as const, bot: false, admin: false })
      .sort((a, b) => Number(a.bot) - Number(b.bot) || a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  }

  /** People known to be connected, other than us and bots (the new-channel dialog lists them). */
  onlineUsers(): string[] {
    return [...this.users.values()].filter((u) => u.status !== 'offline' && !u.bot && !this.isMe(u.name)).map((u) => u.name)
      .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  }

  /** Channels we should be in (to rejoin after a reconnect) and direct conversations open. */
  channels(): Conversation[] { return [...this.conversations.values()].filter((c) => c.kind === 'channel'); }
  directs(): Conversation[] { return [...this.conversations.values()].filter((c) => c.kind === 'dm'); }

  setConnection(state: ConnectionState, detail = ''): void {
    this.connection = { state, detail };
    if (state !== 'online') for (const c of this.channels()) if (state === 'reconnecting' || state === 'closed') c.joined = false;
    this.changed();
  }

  /** An information line: in the named conversation, else the current one. */
  info(text: string, level: InfoLevel = 'info', where?: string): void {
    const conv = (where && this.conversations.get(keyOf(where))) || this.currentConversation;
    for (const line of text.split('\n')) conv.addInfo(line, level);
    this.changed();
  }

  isMe(name: string | undefined): boolean {
    return name !== undefined && this.me !== undefined && name.toLowerCase() === this.me.toLowerCase();
  }

  private lines(e: WireEvent, level: InfoLevel, where?: string): void {
    const conv = (where && this.conversations.get(keyOf(where))) || this.currentConversation;
    for (const line of describeEvent(e)) conv.addInfo(line, level);
  }

  private setUser(name: string, patch: Partial<Omit<UserInfo, 'name'>>): void {
    const key = keyOf(name);
    // Someone we know nothing of is not assumed online.
    const old = this.users.get(key) ?? { name, status: 'offline' as PresenceStatus, bot: false, admin: false };
    this.users.set(key, { ...old, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)), name });
  }
}

function isPresence(v: unknown): v is PresenceStatus {
  return v === 'online' || v === 'away' || v === 'offline';
}

/** Whether a text mentions a user by name, as a whole word, without regard to case. */
export function mentions(me: string | undefined, text: string): boolean {
  if (!me) return false;
  const escaped = me.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_])@?${escaped}(?![A-Za-z0-9_-])`, 'i').test(text);
}

export { STATUS };
