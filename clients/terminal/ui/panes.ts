import type { Entry } from '../conversation.js';
import type { LineEditor } from '../input.js';
import type { SidebarItem, UserInfo } from '../model.js';
import { escapeTags, formatEntry, safe } from '../format.js';
import { sliceColumns, stringWidth, WIDE_CHAR } from '../width.js';
import { wrapCells } from './wrap.js';

/**
 * What the panes show, as blessed-tagged lines, computed from the model without touching a widget.
 * Every string that came from the server goes through `safe`.
 */

/** Cut a plain string to `width` terminal columns with an ellipsis. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  return stringWidth(text) <= width ? text : sliceColumns(text, Math.max(0, width - 1)) + '…';
}

/** Break a plain string into lines of at most `width` columns, at spaces where it can (never mid-word unless a word is longer than a line). */
export function wrapWords(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (stringWidth(next) <= w) { line = next; continue; }
    if (line) out.push(line);
    let rest = word;
    while (stringWidth(rest) > w) { const head = sliceColumns(rest, w) || [...rest][0]!; out.push(head); rest = rest.slice(head.length); }
    line = rest;
  }
  if (line || out.length === 0) out.push(line);
  return out;
}

/** Pad a plain string with spaces to `width` terminal columns. */
export function padColumns(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

/** The channel and DM list: unread counts, mentions highlighted, the current one inverted. */
export function sidebarLines(items: SidebarItem[], width: number): { line: string; key?: string }[] {
  const out: { line: string; key?: string }[] = [];
  let section = '';
  for (const item of items) {
    const head = item.kind === 'dm' ? 'direct' : item.kind === 'channel' ? 'channels' : '';
    if (head && head !== section) { out.push({ line: `{gray-fg}${head}{/gray-fg}` }); section = head; }
    const count = item.unread > 0 ? ` ${item.mentions > 0 ? '!' : ''}${item.unread}` : '';
    const plain = ` ${fit(item.name, width - count.length - 1)}${count}`;
    let line = safe(plain);
    if (item.current) line = `{inverse}${safe(padColumns(plain, width))}{/inverse}`;
    else if (item.mentions > 0) line = `{yellow-fg}{bold}${line}{/bold}{/yellow-fg}`;
    else if (item.unread > 0) line = `{bold}${line}{/bold}`;
    else if (!item.joined) line = `{gray-fg}${line}{/gray-fg}`;
    out.push({ line, key: item.key });
  }
  return out;
}

export const PRESENCE_MARK = { online: '+', away: '~', offline: '-' } as const;

/** The member list: presence mark, name, bots marked; `selected` inverted (member-list mode). */
export function memberLines(users: UserInfo[], width: number, selected = -1): string[] {
  return users.map((u, i) => {
    const mark = PRESENCE_MARK[u.status] ?? '?';
    const colour = u.status === 'online' ? 'green' : u.status === 'away' ? 'yellow' : 'gray';
    const bot = u.bot ? ' bot' : '';
    const name = safe(fit(`${u.admin ? '@' : ''}${u.name}`, width - 2 - bot.length));
    const line = `{${colour}-fg}${mark}{/${colour}-fg} ${name}${bot ? `{cyan-fg}${bot}{/cyan-fg}` : ''}`;
    return i === selected ? `{inverse}${line}{/inverse}` : line;
  });
}

/** Rows an entry takes at this width, wrapped as the message pane wraps it (ui/wrap.ts). */
export function rowsOf(e: Entry, width: number): number {
  const plain = formatEntry(e).replace(/\{(open|close)\}/g, ' ').replace(/\{[^{}]*\}/g, '');
  return wrapCells(plain.replace(WIDE_CHAR, '$1\x03'), width).length;
}

/**
 * The entries to paint so that `bottom` (an index) is the last line on screen: enough of them, walking
 * back, to fill `height` rows. `atTop` when the first entry of the conversation is among them.
 */
export function messageWindow(entries: readonly Entry[], bottom: number, width: number, height: number): { from: number; to: number; atTop: boolean } {
  const to = Math.min(bottom, entries.length - 1) + 1;
  let rows = 0;
  let from = to;
  while (from > 0 && rows < height) { from--; rows += rowsOf(entries[from]!, width); }
  return { from, to, atTop: from === 0 };
}

/** Move the bottom of the view a page up or down; undefined when it reaches the newest (follow mode). */
export function pageMove(entries: readonly Entry[], bottom: number, width: number, height: number, dir: -1 | 1): number | undefined {
  let rows = 0;
  let i = bottom;
  const page = Math.max(1, height - 2);
  while (rows < page) {
    const next = i + dir;
    if (next < 0 || next >= entries.length) break;
    i = next;
    rows += rowsOf(entries[i]!, width);
  }
  return i >= entries.length - 1 ? undefined : Math.max(0, i);
}

/** A one-line input field with a visible cursor (inverse cell), masked for passwords. */
export function fieldText(editor: LineEditor, width: number, focused: boolean, mask = false): string {
  const { text, cursor } = editor.view(width);
  // A zero-width joiner would make the terminal draw 👩‍💻 as one emoji where the field counts two: shown
  // as a zero-width space (same length, so the cursor stays put), the parts are drawn as measured.
  const shown = mask ? '*'.repeat(text.length) : text.replace(/\u200d/g, '\u200b');
  if (!focused) return escapeTags(shown);
  const code = shown.codePointAt(cursor);
  const at = code === undefined ? ' ' : String.fromCodePoint(code);
  return escapeTags(shown.slice(0, cursor)) + `{inverse}${escapeTags(at)}{/inverse}` + escapeTags(shown.slice(cursor + (code === undefined ? 1 : at.length)));
}

/**
 * Which rows of a list to show in `height` rows so that `focus` stays visible: the start index, and
 * whether a last row is needed to say how many more there are.
 */
export function listWindow(length: number, height: number, focus: number): { start: number; end: number; more: number } {
  if (length <= height) return { start: 0, end: length, more: 0 };
  const rows = Math.max(1, height - 1); // one row says "+N more"
  const start = Math.max(0, Math.min(focus - rows + 1, length - rows));
  const end = Math.min(length, start + rows);
  return { start, end, more: length - end + start };
}

