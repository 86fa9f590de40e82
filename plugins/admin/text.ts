import { isoTime, plural, type EventOf } from '../../core/index.js';

/** A time for people: `2026-11-25 13:05:12 UTC`. */
export function readableTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
}

const fromIso = (iso: string): string => iso.slice(0, 19).replace('T', ' ') + ' UTC';
const star = (s: string) => `* ${s}`;
const withText = (base: string, text: string) => (text ? `${base}: ${text}` : base);

function mib(bytes: number): string { return `${(bytes / 1_048_576).toFixed(1)} MiB`; }

function duration(seconds: number): string {
  const d = Math.floor(seconds / 86_400), h = Math.floor((seconds % 86_400) / 3600), m = Math.floor((seconds % 3600) / 60), s = Math.floor(seconds % 60);
  return [d && `${d}d`, h && `${h}h`, m && `${m}m`, `${s}s`].filter(Boolean).join(' ');
}

/** Text renderings of the admin plugin's events (registered with ctx.render). Pure, tested by table. */
export const renderers = {
  bans: (e: EventOf<'bans'>) => e.bans.length === 0 ? star('No one is banned.') : [
    star(`Bans (${e.bans.length}):`),
    ...e.bans.map((b) => star(`  ${b.user} — ${b.until ? `until ${fromIso(b.until)}` : 'permanent'}, by ${b.by} on ${fromIso(b.created)}${b.text ? `: ${b.text}` : ''}`)),
  ],
  mutes: (e: EventOf<'mutes'>) => e.mutes.length === 0 ? star('No one is muted.') : [
    star(`Mutes (${e.mutes.length}):`),
    ...e.mutes.map((m) => star(`  ${m.user} — ${m.until ? `until ${fromIso(m.until)}` : 'until unmuted'}, by ${m.by}${m.text ? `: ${m.text}` : ''}`)),
  ],
  plugins: (e: EventOf<'plugins'>) => [
    star(`Plugins (${e.plugins.length}):`),
    ...e.plugins.map((p) => star(`  ${p.name.padEnd(12)} ${p.version.padEnd(8)} ${p.status}${p.error ? ` — ${p.error}` : ''}`)),
  ],
  users: (e: EventOf<'users'>) => [
    star(e.users.length === e.total ? `Users (${e.total}):` : `Users (${e.users.length} of ${e.total}):`),
    ...e.users.map((u) => star(`  ${u.role === 'admin' ? '@' : ' '}${u.name.padEnd(20)} ${u.status === 'online' ? `online (${plural(u.sessions, 'session')})` : `last seen ${u.lastSeen ? fromIso(u.lastSeen) : 'never'}`}`
      + `${u.banned ? ' [banned]' : ''}${u.muted ? ' [muted]' : ''}`)),
  ],
  stats: (e: EventOf<'stats'>) => [
    star(`Connections: ${e.connections}; users online: ${e.usersOnline}`),
    star(`Messages: ${e.messagesPerMinute} in the last minute, ${e.messagesTotal} in all`),
    star(`Memory: ${mib(e.memory.rssBytes)} resident, ${mib(e.memory.heapUsedBytes)} heap; up ${duration(e.uptimeSeconds)}`),
    star(`History queue: ${e.historyQueue === null ? 'history not loaded' : `${e.historyQueue} waiting, ${e.historyDropped ?? 0} dropped`}`),
    star(`Plugins: ${e.plugins.map((p) => `${p.name} ${p.status}`).join(', ') || 'none'}`),
    ...(e.cluster ? [
      star(`Cluster: node ${e.cluster.node}, ${e.cluster.state === 'ok' ? 'NATS connected' : 'DEGRADED (NATS lost)'}; ${e.cluster.usersOnline} users online on ${e.cluster.nodes.length} node(s)`),
      ...e.cluster.nodes.map((n) => star(`  ${n.node}: ${n.connections} connections, ${n.users} users${n.lastSeenMs > 0 ? `, heard ${n.lastSeenMs} ms ago` : ' (this node)'}`)),
    ] : []),
  ],
  kicked: (e: EventOf<'kicked'>) => star(withText(`You were kicked by ${e.by}`, e.text)),
  banned: (e: EventOf<'banned'>) => star(withText(`You were banned by ${e.by} ${e.until ? `until ${e.until}` : 'permanently'}`, e.text)),
  audit: (e: EventOf<'audit'>) => e.entries.length === 0 ? star('The audit log is empty.') : [
    star(`Audit (${e.entries.length}):`),
    ...e.entries.map((a) => star(`  ${fromIso(a.at)} ${a.by}@${a.address} ${a.action}${a.target ? ` ${a.target}` : ''}`
      + `${a.text ? `: ${a.text}` : ''}${a.detail ? ` (${a.detail})` : ''}`)),
  ],
};

/** An ISO-8601 time for json events, null staying null (an `until` of a restriction that runs until lifted). */
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : isoTime(ms));
