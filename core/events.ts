import type { ErrorCode } from './errors.js';

/** A chat message as it travels and as history stores it. */
export interface ChatMessage {
  id: string;
  from: string;
  /** Set for a channel message. */
  channel?: string;
  /** Set for a direct message: the recipient. */
  to?: string;
  text: string;
  /** ISO-8601 UTC. */
  ts: string;
  kind: 'message' | 'action';
  bot?: true;
  offline?: true;
}

export interface CommandHelp { name: string; usage: string; summary: string }
export interface ChannelSummary { name: string; topic: string; members: number; private: boolean }
export interface WhoEntry { name: string; status: PresenceStatus; role: Role; bot: boolean }
export type PresenceStatus = 'online' | 'away' | 'offline';
export type Role = 'user' | 'admin';

/**
 * Every event the server sends, by type (PROTOCOL.md §4–5). Plugins add their own with declaration merging:
 *   declare module '../../core/index.js' { interface EventMap { bans: { bans: Ban[] } } }
 */
export interface EventMap {
  welcome: { server: string; version: string; text: string };
  ok: { command: string; text: string; target?: string };
  error: { code: ErrorCode; text: string; command?: string };
  help: { commands: CommandHelp[] };
  pong: { token: string };
  bye: { text: string };
  login: { user: string; role: Role; token?: string; tokenExpires?: string };
  whoami: { user: string; role: Role; channels: string[]; target: string | null };
  join: { channel: string; user: string; topic?: string; members?: string[]; private?: boolean };
  part: { channel: string; user: string; text: string };
  history: { target: string; messages: ChatMessage[]; more?: boolean };
  message: ChatMessage;
  presence: { user: string; status: PresenceStatus; text?: string };
  topic: { channel: string; topic: string; by: string };
  invite: { channel: string; by: string };
  notice: { from: string; text: string };
  kicked: { by: string; text: string };
  banned: { by: string; text: string; until: string | null };
  shutdown: { text: string };
  channels: { channels: ChannelSummary[] };
  who: { channel?: string; users: WhoEntry[] };
  whois: { user: string; status: PresenceStatus; role: Role; lastSeen: string | null; channels: string[]; bot?: boolean; text?: string };
}

export type EventType = keyof EventMap;
export type EventOf<K extends EventType> = { type: K } & EventMap[K];
export type ServerEvent = { [K in EventType]: EventOf<K> }[EventType];

/** Build an event with its type checked against its fields. */
export function event<K extends EventType>(type: K, fields: EventMap[K]): EventOf<K> {
  return { type, ...fields } as EventOf<K>;
}
