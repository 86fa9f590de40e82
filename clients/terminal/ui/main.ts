import blessed from 'blessed';
import type { Widgets } from 'blessed';
import type { ChatClient } from '../client.js';
import type { Entry } from '../conversation.js';
import { Completer } from '../complete.js';
import { formatEntry, safe } from '../format.js';
import { InputHistory, LineEditor } from '../input.js';
import { STATUS } from '../model.js';
import { fieldText, fit, listWindow, memberLines, messageWindow, pageMove, sidebarLines } from './panes.js';
import { NewChannelDialog } from './dialog.js';
import { editKey, isPrintable, type Key } from './keys.js';
import { colourCount, grey, paint } from './colours.js';
import { stringWidth } from '../width.js';
import { useCellWrapping } from './wrap.js';

export const KEY_HELP = [
  'Keys:',
  '  Enter send · Up/Down input history · Tab complete names, #channels, /commands',
  '  PageUp/PageDown or the mouse wheel scroll (the top fetches older messages)',
  '  Alt-Left/Alt-Right or Ctrl-P/Ctrl-X previous/next conversation · Alt-1..9 go to one',
  '  Ctrl-N new private channel · F2 member list (Enter opens a direct conversation) · F1 this help',
  '  Ctrl-A/E start/end · Ctrl-W/U/K delete word/before/after · Ctrl-L redraw · Ctrl-C or /quit quit',
  'Commands: /join #c · /part · /msg <user> <text> · /me <action> · /query <user> · /close · /topic · /who · /away · /history · /help',
];

const SIDE = (w: number) => (w >= 110 ? 20 : w >= 90 ? 16 : 14);

/** The chat screen: conversations, messages, members, status bar and input line, painted from the model. */
export class MainView {
  private readonly top: Widgets.BoxElement;
  private readonly sidebar: Widgets.BoxElement;
  private readonly messages: Widgets.BoxElement;
  private readonly members: Widgets.BoxElement;
  private readonly seps: Widgets.BoxElement[];
  private readonly status: Widgets.BoxElement;
  private readonly input: Widgets.BoxElement;
  readonly editor = new LineEditor();
  private readonly history = new InputHistory();
  private readonly completer = new Completer();
  /** Per conversation: the entry at the bottom of the view when scrolled up (absent: follow the newest). */
  private readonly anchors = new Map<string, Entry>();
  private mode: 'input' | 'members' = 'input';
  private memberSel = 0;
  private sidebarRows: (string | undefined)[] = [];
  private memberStart = 0;
  private dialog?: NewChannelDialog;
  private renderQueued = false;

  constructor(private readonly screen: Widgets.Screen, private readonly client: ChatClient, private readonly onQuit: () => void) {
    const box = (opts: Widgets.BoxOptions) => blessed.box({ parent: screen, tags: true, ...opts });
    this.top = box({ top: 0, left: 0, height: 1, style: { bg: 'blue', fg: 'white' } });
    this.sidebar = box({ top: 1, left: 0, clickable: true });
    this.messages = box({ top: 1, scrollable: true, alwaysScroll: true, wrap: true, clickable: true });
    this.members = box({ top: 1, clickable: true });
    useCellWrapping(this.messages);
    this.seps = [0, 1].map(() => box({ top: 1, width: 1, style: { fg: grey(colourCount(screen)) } }));
    this.status = box({ left: 0, height: 1, style: { bg: 'blue', fg: 'white' } });
    this.input = box({ left: 0, height: 1 });
    this.sidebar.on('click', (d) => this.clickSidebar(d.y));
    this.members.on('click', (d) => this.clickMember(d.y));
    this.messages.on('wheelup', () => this.scroll(-1, 3));
    this.messages.on('wheeldown', () => this.scroll(1, 3));
    const offModel = client.model.onChange(() => this.queueRender());
    // A mention or a direct message elsewhere rings the terminal bell (as irssi does on a highlight).
    client.model.onMention = () => screen.program.bell();
    const onResize = () => this.render();
    const onDialog = () => this.queueRender();
    screen.on('resize', onResize);
    screen.on('dialog-update', onDialog);
    this.detach = () => { offModel(); client.model.onMention = () => {}; screen.off('resize', onResize); screen.off('dialog-update', onDialog); };
    this.render();
  }

  private readonly detach: () => void;
  private destroyed = false;

  /** Take the chat screen down (back to the login screen). */
  destroy(): void {
    this.destroyed = true;
    this.detach();
    for (const el of [this.top, this.sidebar, this.messages, this.members, ...this.seps, this.status, this.input]) el.destroy();
  }

  private get model() { return this.client.model; }

  queueRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    setImmediate(() => { this.renderQueued = false; this.render(); });
  }

  private layout() {
    const W = Number(this.screen.width);
    const H = Number(this.screen.height);
    const side = SIDE(W);
    const mem = W >= 60 ? side : 0;
    const mid = Math.max(10, W - side - mem - (mem ? 2 : 1));
    return { W, H, side, mem, mid, body: Math.max(1, H - 3) };
  }

  render(): void {
    if (this.destroyed) return;
    const { W, H, side, mem, mid, body } = this.layout();
    const model = this.model;
    const conv = model.currentConversation;
    const place = (el: Widgets.BoxElement, left: number, width: number, top: number, height: number) => {
      el.left = left; el.width = Math.max(1, width); el.top = top; el.height = Math.max(1, height);
    };
    place(this.top, 0, W, 0, 1);
    place(this.sidebar, 0, side, 1, body);
    place(this.seps[0]!, side, 1, 1, body);
    place(this.messages, side + 1, mid, 1, body);
    place(this.seps[1]!, side + 1 + mid, 1, 1, body);
    place(this.members, side + 2 + mid, mem, 1, body);
    if (mem) { this.members.show(); this.seps[1]!.show(); } else { this.members.hide(); this.seps[1]!.hide(); }
    place(this.status, 0, W, H - 2, 1);
    place(this.input, 0, W, H - 1, 1);
    for (const s of this.seps) paint(s, Array(body).fill('│').join('\n'));

    // Top: where we are and its topic.
    const head = conv.kind === 'status' ? `Whiskr — ${model.connection.detail || 'status'}`
      : conv.kind === 'dm' ? `${conv.name} — direct conversation${this.presenceText(conv.name)}`
        : `${conv.name}${conv.private ? ' (private)' : ''}${conv.topic ? ` — ${conv.topic}` : ''}`;
    paint(this.top, ' ' + safe(fit(head, W - 2)));

    // Sidebar.
    const rows = sidebarLines(model.sidebar(), side);
    const sw = listWindow(rows.length, body, Math.max(0, rows.findIndex((r) => r.key === conv.key)));
    const shownRows = rows.slice(sw.start, sw.end);
    this.sidebarRows = shownRows.map((r) => r.key);
    paint(this.sidebar, [...shownRows.map((r) => r.line), ...(sw.more ? [`{gray-fg} +${sw.more} more{/gray-fg}`] : [])].join('\n'));

    // Members (of a channel; for a direct conversation, the other person).
    const users = this.shownMembers();
    this.memberSel = Math.min(this.memberSel, Math.max(0, users.length - 1));
    const title = conv.kind === 'channel' ? `{gray-fg}members ${conv.memberTotal ?? users.length}{/gray-fg}` : '';
    const mwin = listWindow(users.length, body - 1, this.mode === 'members' ? this.memberSel : 0);
    this.memberStart = mwin.start;
    const memberRows = memberLines(users, mem, this.mode === 'members' ? this.memberSel : -1).slice(mwin.start, mwin.end);
    // Not shown: loaded ones outside the window, and those of a big channel not loaded yet.
    const unlisted = mwin.more + Math.max(0, (conv.memberTotal ?? users.length) - users.length);
    paint(this.members, [title, ...memberRows, ...(unlisted ? [`{gray-fg}+${unlisted} more (F2){/gray-fg}`] : [])].join('\n'));
    // A big channel's members come a page at a time: the next when the pane nears the end of what is loaded.
    if (conv.membersNext !== undefined && mwin.end + body >= users.length) void this.client.fetchMoreMembers(conv.key);

    // Messages.
    const anchor = this.anchors.get(conv.key);
    let bottom = anchor ? conv.entries.lastIndexOf(anchor) : -1;
    if (bottom < 0) { this.anchors.delete(conv.key); bottom = conv.entries.length - 1; }
    const win = messageWindow(conv.entries, bottom, mid, body);
    const today = new Date();
    const shown = conv.entries.slice(win.from, win.to).map((e) => formatEntry(e, today));
    if (win.atTop && conv.kind !== 'status') {
      shown.unshift(conv.loadingOlder ? '{gray-fg}— loading older messages… —{/gray-fg}'
        : conv.moreBefore ? '{gray-fg}— PageUp for older messages —{/gray-fg}' : `{gray-fg}— start of ${safe(conv.name)} —{/gray-fg}`);
    }
    paint(this.messages, shown.join('\n'));
    this.messages.setScrollPerc(100);
    if (win.atTop && conv.moreBefore && !conv.loadingOlder && this.anchors.has(conv.key)) void this.client.fetchOlder(conv.key);

    // Status bar.
    const c = model.connection;
    const colour = c.state === 'online' ? 'green' : c.state === 'reconnecting' || c.state === 'connecting' ? 'yellow' : 'red';
    const below = anchor ? conv.entries.length - 1 - bottom : 0;
    const parts = [
      `{${colour}-fg}{bold}[${c.state}]{/bold}{/${colour}-fg}${c.state !== 'online' && c.detail ? ' ' + safe(fit(c.detail, 40)) : ''}`,
      safe(model.me ?? '-') + (model.admin ? ' (admin)' : '') + (model.users.get((model.me ?? '').toLowerCase())?.status === 'away' ? ' {yellow-fg}(away){/yellow-fg}' : ''),
      safe(conv.name),
      ...(below > 0 ? [`{yellow-fg}${below} more below (PageDown){/yellow-fg}`] : []),
      this.mode === 'members' ? 'members: Up/Down, Enter opens a DM, Esc back' : 'F1 keys · Ctrl-N new channel',
    ];
    paint(this.status, ' ' + parts.join(' │ '));

    // Input line.
    const prompt = `[${fit(conv.name, 20)}] `;
    paint(this.input, safe(prompt) + fieldText(this.editor, W - stringWidth(prompt), this.mode === 'input' && !this.dialog));
    this.dialog?.render();
    this.screen.render();
  }

  private presenceText(name: string): string {
    const u = this.model.users.get(name.toLowerCase());
    if (!u) return '';
    return ` (${u.status}${u.text ? `: ${u.text}` : ''}${u.bot ? ', bot' : ''})`;
  }

  private shownMembers() {
    const conv = this.model.currentConversation;
    if (conv.kind === 'channel') return this.model.membersOf(conv.key);
    if (conv.kind === 'dm') return [this.model.users.get(conv.key) ?? { name: conv.name, status: 'offline' as const, bot: false, admin: false }];
    return [];
  }

  /** A key for the main screen (the dialog, when open, takes keys first). */
  key(ch: string | undefined, key: Key): void {
    if (this.dialog) { this.dialog.key(ch, key); return; }
    if (key.full !== 'tab' && key.full !== 'S-tab') this.completer.reset();
    if (this.mode === 'members') { this.memberKey(key); this.render(); return; }
    const full = key.full;
    switch (full) {
      case 'enter': this.submit(); break;
      case 'up': { const v = this.history.up(this.editor.text); if (v !== undefined) this.editor.set(v); break; }
      case 'down': { const v = this.history.down(); if (v !== undefined) this.editor.set(v); break; }
      case 'tab': case 'S-tab': this.complete(full === 'tab' ? 1 : -1); break;
      case 'pageup': this.scroll(-1); break;
      case 'pagedown': this.scroll(1); break;
      case 'M-left': case 'C-p': this.model.cycle(-1); break;
      case 'M-right': case 'C-x': this.model.cycle(1); break;
      case 'C-n': this.openDialog(); break;
      case 'f2': if (this.shownMembers().length) { this.mode = 'members'; this.memberSel = 0; } break;
      case 'f1': this.model.info(KEY_HELP.join('\n')); break;
      case 'C-l': this.screen.realloc(); break;
      default:
        if (/^M-[1-9]$/.test(full)) { const item = this.model.sidebar()[Number(full.slice(2)) - 1]; if (item) this.model.select(item.key); break; }
        if (!editKey(this.editor, key) && isPrintable(ch, key)) this.editor.insert(ch!);
    }
    this.render();
  }

  private submit(): void {
    const text = this.editor.text;
    if (!text.trim()) return;
    if (/^\/newchannel\b/i.test(text)) { this.history.push(text); this.editor.set(''); this.openDialog(); return; }
    const quitting = /^\/(quit|exit)\b/i.test(text);
    if (!this.client.connected && !quitting && !/^\/(query|close|clear|reconnect|logout)\b/i.test(text)) {
      this.model.info('Not connected: your line is kept; press Enter again once reconnected.', 'error');
      return;
    }
    this.history.push(text);
    this.editor.set('');
    if (quitting) { void this.client.input(text).finally(this.onQuit); return; }
    const key = this.model.current;
    this.anchors.delete(key);
    void this.client.input(text);
  }

  private complete(step: number): void {
    const model = this.model;
    const conv = model.currentConversation;
    const names = [...model.membersOf(conv.key).map((u) => u.name), ...[...model.users.values()].map((u) => u.name), ...model.directs().map((d) => d.name)]
      .filter((n) => !model.isMe(n));
    const r = this.completer.complete(this.editor.text, this.editor.cursor, { commands: model.commands, names, channels: model.channels().map((c) => c.name) }, step);
    if (r) this.editor.set(r.text, r.cursor);
  }

  /** Page (or, for the wheel, a few entries) up or down; reaching the top fetches older messages. */
  private scroll(dir: -1 | 1, entries?: number): void {
    const conv = this.model.currentConversation;
    if (conv.entries.length === 0) return;
    const anchor = this.anchors.get(conv.key);
    const bottom = anchor ? Math.max(0, conv.entries.lastIndexOf(anchor)) : conv.entries.length - 1;
    const { mid, body } = this.layout();
    const next = entries !== undefined
      ? (bottom + dir * entries >= conv.entries.length - 1 ? undefined : Math.max(0, bottom + dir * entries))
      : pageMove(conv.entries, bottom, mid, body, dir);
    if (next === undefined) this.anchors.delete(conv.key);
    else this.anchors.set(conv.key, conv.entries[next]!);
    if (next !== undefined && messageWindow(conv.entries, next, mid, body).atTop && conv.moreBefore) void this.client.fetchOlder(conv.key);
    this.render();
  }

  private memberKey(key: Key): void {
    const users = this.shownMembers();
    if (key.full === 'up') this.memberSel = Math.max(0, this.memberSel - 1);
    else if (key.full === 'down') this.memberSel = Math.min(users.length - 1, this.memberSel + 1);
    else if (key.full === 'enter') { const u = users[this.memberSel]; this.mode = 'input'; if (u && !this.model.isMe(u.name)) this.model.openDm(u.name); }
    else if (key.full === 'escape' || key.full === 'f2') this.mode = 'input';
    else if (key.full === 'C-c') this.onQuit();
  }

  private clickSidebar(y: number): void {
    const row = y - Number(this.sidebar.atop);
    const k = this.sidebarRows[row];
    if (k) this.model.select(k);
  }

  private clickMember(y: number): void {
    const row = y - Number(this.members.atop) - 1;
    const u = row >= 0 ? this.shownMembers()[this.memberStart + row] : undefined;
    if (u && !this.model.isMe(u.name)) this.model.openDm(u.name);
  }

  openDialog(): void {
    if (this.dialog) return;
    this.dialog = new NewChannelDialog(this.screen, this.client, () => { this.dialog = undefined; this.render(); });
    this.render();
  }

  get dialogOpen(): boolean { return this.dialog !== undefined; }

  /** The conversation shown (for tests and the status buffer). */
  get currentKey(): string { return this.model.current ?? STATUS; }
}
