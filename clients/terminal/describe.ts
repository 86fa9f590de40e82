import type { WireEvent } from './events.js';
import { adminRenderers, dateTime } from './describe-admin.js';

/**
 * Readable lines for replies and events that are not chat messages (help, whois, channels, bans, a
 * plugin's own events…). Plain text: the UI makes it inert and escapes it when it paints.
 */
export function describeEvent(e: WireEvent): string[] {
  const s = (k: string): string => (typeof e[k] === 'string' ? (e[k] as string) : e[k] === undefined || e[k] === null ? '' : String(e[k]));
  const list = (k: string): unknown[] => (Array.isArray(e[k]) ? (e[k] as unknown[]) : []);
  switch (e.type) {
    case 'ok': return [s('text') || 'OK.'];
    // Errors are sentences; the code is for programs (and shown only when there is no text).
    case 'error': return [s('text') || s('code')];
    case 'welcome': return [`${s('server')} ${s('version')}. ${s('text')}`.trim()];
    case 'pong': return [s('token') ? `pong ${s('token')}` : 'pong'];
    case 'bye': return [s('text') || 'Bye.'];
    case 'login': return [`Logged in as ${s('user')}${s('role') === 'admin' ? ' (admin)' : ''}.`];
    case 'whoami': return [`You are ${s('user')} (${s('role')}); channels: ${list('channels').join(' ') || 'none'}`];
    case 'help': {
      const cmds = list('commands').filter(isRecord);
      if (cmds.length === 1) return [`${str(cmds[0]!.usage)} — ${str(cmds[0]!.summary)}`];
      return ['Commands:', ...cmds.map((c) => `  ${str(c.usage).padEnd(30)} ${str(c.summary)}`)];
    }
    case 'channels': {
      const chans = list('channels').filter(isRecord);
      if (chans.length === 0) return ['No channels.'];
      return ['Channels:', ...chans.map((c) => `  ${str(c.name)} (${str(c.members)} member${c.members === 1 ? '' : 's'}${c.private ? ', private' : ''})${c.topic ? ` — ${str(c.topic)}` : ''}`)];
    }
    case 'who': {
      const users = list('users').filter(isRecord);
      const names = users.map((u) => `${u.role === 'admin' ? '@' : ''}${str(u.name)}${u.bot ? ' [bot]' : ''}${u.status && u.status !== 'online' ? ` (${str(u.status)})` : ''}`);
      return [`${e.channel ? `In ${s('channel')}` : 'Online'} (${users.length}): ${names.join(', ') || 'nobody'}`];
    }
    case 'whois': return [
      `${s('user')}${e.bot ? ' [bot]' : ''}: ${s('status')}${e.text ? ` (${s('text')})` : ''}, ${s('role')}`,
      `  channels: ${list('channels').join(' ') || 'none'}; last seen: ${e.lastSeen ? dateTime(e.lastSeen) : 'never'}`,
    ];
    case 'presence': return [`${s('user')} is ${s('status')}${e.text ? `: ${s('text')}` : ''}`];
    case 'topic': return [e.topic ? `${s('by')} set the topic of ${s('channel')}: ${s('topic')}` : `${s('by')} cleared the topic of ${s('channel')}`];
    case 'invite': return [`${s('by')} invited you to ${s('channel')} — /join ${s('channel')}`];
    case 'notice': return [`[${s('from')}] ${s('text')}`];
    case 'kicked': return [`You were kicked by ${s('by')}${e.text ? `: ${s('text')}` : ''}`];
    case 'banned': return [`You were banned by ${s('by')} ${e.until ? `until ${dateTime(e.until)}` : 'permanently'}${e.text ? `: ${s('text')}` : ''}`];
    // The server's text usually says it already ("The server is shutting down."): not twice.
    case 'shutdown': return [!e.text ? 'The server is shutting down.' : /shutting down/i.test(s('text')) ? s('text') : `The server is shutting down: ${s('text')}`];
    case 'bans': {
      const bans = list('bans').filter(isRecord);
      if (bans.length === 0) return ['No bans.'];
      return ['Bans:', ...bans.map((b) => `  ${str(b.user)} by ${str(b.by)} ${b.until ? `until ${dateTime(b.until)}` : 'permanently'}${b.text ? `: ${str(b.text)}` : ''}`)];
    }
    default: return adminRenderers[e.type]?.(e) ?? generic(e);
  }
}

/** Any other event: its type, then its fields as `key: value` lines (arrays of records one per line). */
function generic(e: WireEvent): string[] {
  const out: string[] = [];
  const scalars: string[] = [];
  for (const [k, v] of Object.entries(e)) {
    if (k === 'type') continue;
    if (Array.isArray(v)) {
      out.push(`  ${k}:`);
      for (const item of v.slice(0, 200)) out.push(`    ${isRecord(item) ? Object.entries(item).map(([a, b]) => `${a}=${str(b)}`).join(' ') : str(item)}`);
    } else if (isRecord(v)) {
      out.push(`  ${k}: ${Object.entries(v).map(([a, b]) => `${a}=${str(b)}`).join(' ')}`);
    } else {
      scalars.push(`${k}=${str(v)}`);
    }
  }
  return [`${e.type}${scalars.length ? ' ' + scalars.join(' ') : ''}`, ...out];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
