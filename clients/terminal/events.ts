import type { ChatMessage, EventMap as CoreEvents, Role } from '../../core/index.js';
import type { ChannelEvents, PresenceStatus } from '../../plugins/channels/api.js';
import type { HistoryEvents } from '../../plugins/history/api.js';
import type { AuthEvents } from '../../plugins/auth/api.js';
import type { AdminEvents } from '../../plugins/admin/api.js';

/** The events the client knows: the core's and those of the plugins it shows (each declared in the plugin's api.ts). */
export type EventMap = CoreEvents & ChannelEvents & HistoryEvents & AuthEvents & AdminEvents;

/**
 * What the client receives: any JSON object with a `type`. The server's own events are typed by the
 * EventMap above; events of plugins the client does not know arrive as plain objects and are shown
 * readably (format.ts), never as raw JSON.
 */
export type WireEvent = { type: string } & Record<string, unknown>;

export type Known<K extends keyof EventMap> = { type: K } & EventMap[K];

export type { ChatMessage, PresenceStatus, Role };

const str = (v: unknown): v is string => typeof v === 'string';

/** Narrow a wire event to a known type, checking the fields the client relies on. */
export function is<K extends keyof EventMap>(e: WireEvent, type: K): e is WireEvent & Known<K> {
  if (e.type !== type) return false;
  switch (type) {
    case 'message': return isMessage(e);
    case 'join': case 'part': return str(e.channel) && str(e.user);
    case 'history': return str(e.target) && Array.isArray(e.messages);
    case 'presence': return str(e.user) && str(e.status);
    case 'who': return Array.isArray(e.users);
    case 'crowd': return str(e.channel) && typeof e.joined === 'number' && typeof e.left === 'number' && Array.isArray(e.joinedNames) && e.joinedNames.every(str) && Array.isArray(e.leftNames) && e.leftNames.every(str);
    case 'login': return str(e.user);
    case 'topic': return str(e.channel) && str(e.by);
    case 'error': return str(e.code);
    default: return true;
  }
}

export function isMessage(m: unknown): m is ChatMessage {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  return str(r.id) && str(r.from) && str(r.text) && (str(r.channel) || str(r.to));
}

/** Parse one line from the server; undefined for anything that is not a JSON object with a type. */
export function parseEvent(line: string): WireEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(line);
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { type?: unknown }).type === 'string') return v as WireEvent;
  } catch { /* not JSON */ }
  return undefined;
}

/** Names compare without regard to case (docs/protocol.md, "Names"). */
export const keyOf = (name: string): string => name.toLowerCase();
export const isChannelName = (name: string): boolean => name.startsWith('#');
