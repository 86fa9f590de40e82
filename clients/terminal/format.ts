import type { Entry } from './conversation.js';

/**
 * Control characters (C0, DEL, C1), bidirectional overrides and zero-width format characters: a
 * message containing them could move the cursor, recolour the terminal or hide what follows.
 */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** Text from the server made inert: control characters removed, tabs as one space. */
export function stripControls(text: string): string {
  return text.replace(/\t/g, ' ').replace(CONTROL, '');
}

/** Escape blessed's tag syntax (the same as `blessed.escape`). */
export function escapeTags(text: string): string {
  return text.replace(/[{}]/g, (ch) => (ch === '{' ? '{open}' : '{close}'));
}

/** What every piece of server text goes through before it is painted. */
export function safe(text: unknown): string {
  return escapeTags(stripControls(typeof text === 'string' ? text : String(text ?? '')));
}

// blessed's tag parser reads "light-red" (it turns dashes into spaces), not "lightred": an unknown tag
// would be printed as it is.
const PALETTE = ['red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'light-red', 'light-green', 'light-yellow', 'light-blue', 'light-magenta', 'light-cyan'];

/** A stable colour for a user name (the same name always gets the same colour, without regard to case). */
export function nameColor(name: string): string {
  let h = 0;
  for (const ch of name.toLowerCase()) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

export function coloredName(name: string): string {
  return `{${nameColor(name)}-fg}${safe(name)}{/${nameColor(name)}-fg}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `HH:MM` in local time; `MM-DD HH:MM` for a day other than `today`. */
export function clock(ts: string, today = new Date()): string {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return '--:--';
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
  return sameDay ? hm : `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
}

/** One entry of the message pane as a blessed-tagged line. Every server string goes through `safe`. */
export function formatEntry(e: Entry, today = new Date()): string {
  const time = `{gray-fg}${clock(e.ts, today)}{/gray-fg}`;
  if (e.kind === 'info') {
    const text = safe(e.text);
    switch (e.level) {
      case 'event': return `${time} {gray-fg}-- ${text}{/gray-fg}`;
      case 'notice': return `${time} {yellow-fg}-!- ${text}{/yellow-fg}`;
      case 'error': return `${time} {red-fg}!! ${text}{/red-fg}`;
      default: return `${time} {cyan-fg}··{/cyan-fg} ${text}`;
    }
  }
  const bot = e.bot ? ' {cyan-fg}[bot]{/cyan-fg}' : '';
  const name = e.self ? `{bold}${safe(e.from)}{/bold}` : coloredName(e.from);
  let text = safe(e.text);
  if (e.mention) text = `{yellow-fg}{bold}${text}{/bold}{/yellow-fg}`;
  if (e.action) return `${time} {magenta-fg}*{/magenta-fg} ${name}${bot} ${text}`;
  return `${time} <${name}>${bot} ${text}`;
}
