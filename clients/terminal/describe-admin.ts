import type { WireEvent } from './events.js';

/**
 * Readable lines for the admin plugin's replies and /search, as the server's text format gives them to
 * netcat users (plugins/admin/text.ts), with times in local time. Plain text: the UI makes it inert.
 */
type Row = Record<string, unknown>;
const rows = (v: unknown): Row[] => (Array.isArray(v) ? v.filter((r): r is Row => typeof r === 'object' && r !== null && !Array.isArray(r)) : []);
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-11-25 13:05` in local time; the text as it is when it is not a time. */
export function dateTime(iso: unknown): string {
  const d = new Date(text(iso));
  if (!text(iso) || Number.isNaN(d.getTime())) return text(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function duration(seconds: number): string {
  const d = Math.floor(seconds / 86_400), h = Math.floor((seconds % 86_400) / 3600), m = Math.floor((seconds % 3600) / 60), s = Math.floor(seconds % 60);
  return [d && `${d}d`, h && `${h}h`, m && `${m}m`, `${s}s`].filter(Boolean).join(' ');
}

const mib = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MiB`;

export const adminRenderers: Record<string, (e: WireEvent) => string[]> = {
  users: (e) => {
    const users = rows(e.users);
    const total = num(e.total) || users.length;
    return [
      users.length === total ? `Users (${total}):` : `Users (${users.length} of ${total}):`,
      ...users.map((u) => `  ${u.role === 'admin' ? '@' : ' '}${text(u.name).padEnd(20)} ${u.status === 'online' ? `online (${plural(num(u.sessions), 'session')})` : `last seen ${u.lastSeen ? dateTime(u.lastSeen) : 'never'}`}`
        + `${u.banned ? ' [banned]' : ''}${u.muted ? ' [muted]' : ''}`),
    ];
  },
  stats: (e) => {
    const mem = (typeof e.memory === 'object' && e.memory !== null ? e.memory : {}) as Row;
    return [
      `Connections: ${num(e.connections)}; users online: ${num(e.usersOnline)}`,
      `Messages: ${num(e.messagesPerMinute)} in the last minute, ${num(e.messagesTotal)} in all`,
      `Memory: ${mib(num(mem.rssBytes))} resident, ${mib(num(mem.heapUsedBytes))} heap; up ${duration(num(e.uptimeSeconds))}`,
      `History queue: ${e.historyQueue === null || e.historyQueue === undefined ? 'history not loaded' : `${num(e.historyQueue)} waiting, ${num(e.historyDropped)} dropped`}`,
      `Plugins: ${rows(e.plugins).map((p) => `${text(p.name)} ${text(p.status)}`).join(', ') || 'none'}`,
    ];
  },
  plugins: (e) => [
    `Plugins (${rows(e.plugins).length}):`,
    ...rows(e.plugins).map((p) => `  ${text(p.name).padEnd(12)} ${text(p.version).padEnd(8)} ${text(p.status)}${p.error ? ` — ${text(p.error)}` : ''}`),
  ],
  mutes: (e) => {
    const mutes = rows(e.mutes);
    if (mutes.length === 0) return ['No one is muted.'];
    return [`Mutes (${mutes.length}):`, ...mutes.map((m) => `  ${text(m.user)} — ${m.until ? `until ${dateTime(m.until)}` : 'until unmuted'}, by ${text(m.by)}${m.text ? `: ${text(m.text)}` : ''}`)];
  },
  audit: (e) => {
    const entries = rows(e.entries);
    if (entries.length === 0) return ['The audit log is empty.'];
    return [`Audit (${entries.length}):`, ...entries.map((a) => `  ${dateTime(a.at)} ${text(a.by)}${a.address ? `@${text(a.address)}` : ''} ${text(a.action)}${a.target ? ` ${text(a.target)}` : ''}`
      + `${a.text ? `: ${text(a.text)}` : ''}${a.detail ? ` (${typeof a.detail === 'string' ? a.detail : JSON.stringify(a.detail)})` : ''}`)];
  },
  search: (e) => {
    const found = rows(e.messages);
    if (found.length === 0) return [`No messages match "${text(e.query)}".`];
    return [
      `${found.length}${e.more ? '+' : ''} message${found.length === 1 ? '' : 's'} match "${text(e.query)}":`,
      ...found.map((m) => `  ${dateTime(m.ts)} ${m.channel ? text(m.channel) : `${text(m.from)} → ${text(m.to)}`} ${m.kind === 'action' ? `* ${text(m.from)}` : `<${text(m.from)}>`} ${text(m.text)}`),
    ];
  },
};
