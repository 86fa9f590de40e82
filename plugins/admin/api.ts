import type { PluginStatus, Role } from '../../core/index.js';

/** What a restriction keeps a user from: logging in (a ban) or making others see text (a mute). */
export type RestrictionKind = 'ban' | 'mute';

/** A ban or a mute as stored (times in ms since the epoch; until null = until it is lifted). */
export interface Restriction { user: string; by: string; text: string; until: number | null; created: number }

/** What the admin plugin offers other plugins and the legacy importer. */
export interface AdminService {
  /** The running ban of a user, if any. */
  activeBan(user: string): Promise<Restriction | undefined>;
  /** Store a ban (the importer); does not disconnect anyone. Idempotent for the same user, creation time and until. */
  importBan(ban: Restriction): Promise<boolean>;
  /** Whether a user is muted now. */
  isMuted(user: string): boolean;
  /** Throw MUTED (until when, by whom, why) if the user is muted now: for every text a user makes others see. */
  refuseMuted(user: string): void;
}

declare module '../../core/plugin.js' {
  interface Services { admin: AdminService }
}

// ── Events the admin commands reply with (json field names; times are ISO-8601 UTC strings) ──

/** One ban in `bans` or mute in `mutes`; `until` null means until it is lifted (a permanent ban). */
export interface RestrictionEntry { user: string; by: string; text: string; until: string | null; created: string }
export interface PluginEntry { name: string; version: string; status: PluginStatus; error: string | null }
export interface UserEntry {
  name: string; role: Role; status: 'online' | 'offline';
  /** Open sessions of the user. */
  sessions: number;
  created: string; lastSeen: string | null; banned: boolean; muted: boolean;
}
export interface AuditEntry {
  id: number; at: string;
  /** The admin who acted, and from where (an address, or `console`). */
  by: string; address: string;
  /** The command: kick, ban, unban, mute, unmute, wall, shutdown, plugin, rehash, role. */
  action: string;
  target: string | null;
  /** The reason given (the text of a kick, ban, mute or wall). */
  text: string;
  /** What it did: `until …`, `load history: failed: …`, what a rehash changed. */
  detail: string;
}
export interface StatsEvent {
  /** Open connections (the console included). */
  connections: number;
  usersOnline: number;
  /** Messages delivered in the last 60 seconds. */
  messagesPerMinute: number;
  /** Messages delivered since the admin plugin was loaded. */
  messagesTotal: number;
  memory: { rssBytes: number; heapUsedBytes: number };
  uptimeSeconds: number;
  plugins: { name: string; status: PluginStatus }[];
  /** Messages waiting to be written by the history plugin (null when it is not loaded), and dropped since start. */
  historyQueue: number | null;
  historyDropped: number | null;
  /** A cluster: this node's name, whether NATS is reachable, and each live node as its heartbeat said (absent on one node). */
  cluster?: {
    node: string;
    state: 'ok' | 'degraded';
    nodes: { node: string; connections: number; users: number; state: 'ok' | 'degraded'; lastSeenMs: number }[];
    /** Users online on any node. */
    usersOnline: number;
  };
}

/** The events the admin plugin sends (json field names), rendered as text by text.ts. */
export interface AdminEvents {
  /** To each session of a user being kicked, just before it is closed. */
  kicked: { by: string; text: string };
  /** To each session of a user being banned (or logging in while banned), just before it is closed; until null = permanent. */
  banned: { by: string; text: string; until: string | null };
  bans: { bans: RestrictionEntry[] };
  mutes: { mutes: RestrictionEntry[] };
  plugins: { plugins: PluginEntry[] };
  users: { users: UserEntry[]; total: number };
  stats: StatsEvent;
  audit: { entries: AuditEntry[] };
}

declare module '../../core/events.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-interface
  interface EventMap extends AdminEvents {}
}

declare module '../../core/hooks.js' {
  /** The logouts the admin plugin causes (the channels plugin's part text then says "Kicked" or "Banned"). */
  interface LogoutReasons { kicked: true; banned: true }
}
