/** A ban as stored and as /bans lists it (times in ms since the epoch; until null = permanent). */
export interface BanRecord { user: string; by: string; text: string; until: number | null; created: number }

/** What the admin plugin offers other plugins and the legacy importer. */
export interface AdminService {
  /** The running ban of a user, if any. */
  activeBan(user: string): Promise<BanRecord | undefined>;
  /** Store a ban (the importer); does not disconnect anyone. Idempotent for the same user, creation time and until. */
  importBan(ban: BanRecord): Promise<boolean>;
  /** Whether a user is muted now. */
  isMuted(user: string): boolean;
}

declare module '../../core/plugin.js' {
  interface Services { admin: AdminService }
}
