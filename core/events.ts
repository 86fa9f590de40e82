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
  /** `notice`: a notice (IRC NOTICE, /notice), which bots and programs never answer automatically. */
  kind: 'message' | 'action' | 'notice';
  bot?: true;
  offline?: true;
}

export interface CommandHelp { name: string; usage: string; summary: string }
export type Role = 'user' | 'admin';

/**
 * The events the core sends itself, those every session needs (docs/protocol.md). Every other event is
 * declared by the plugin that sends it, with its renderer (ctx.render), by declaration merging:
 *   declare module '../../core/events.js' { interface EventMap { bans: { bans: Ban[] } } }
 * `message` is here because it is the currency the message plugins share (channels sends it, history
 * stores it, admin mutes it, bots answer it) and the core's message hooks carry it.
 */
export interface EventMap {
  welcome: { server: string; version: string; text: string };
  ok: { command: string; text: string; target?: string };
  error: { code: ErrorCode; text: string; command?: string };
  help: { commands: CommandHelp[] };
  pong: { token: string };
  bye: { text: string };
  message: ChatMessage;
  notice: { from: string; text: string };
  /**
   * A cluster node lost NATS for a while: messages from users on other nodes since `after` (a message id)
   * may be missing here. A client asks /history <target> after=<id> for what it shows, and drops ids it has.
   */
  catchup: { after: string; text: string };
  shutdown: { text: string };
  /** The last line of a labeled command's reply (docs/protocol.md, "Request labels"); it carries the label. */
  end: Record<string, never>;
}

export type EventType = keyof EventMap;
export type EventOf<K extends EventType> = { type: K } & EventMap[K];
export type ServerEvent = { [K in EventType]: EventOf<K> }[EventType];

/** Build an event with its type checked against its fields. */
export function event<K extends EventType>(type: K, fields: EventMap[K]): EventOf<K> {
  return { type, ...fields } as EventOf<K>;
}
