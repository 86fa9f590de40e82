import { WhiskrError, event, isoTime, parseDuration, type CommandArgs, type CommandContext, type PrivilegedContext } from '../../core/index.js';
import type { Account } from '../auth/api.js';
import type { AdminService, BanRecord, MuteRecord } from './api.js';
import type { AdminConfig } from './config.js';
import { AdminStore } from './store.js';
import { RateCounter } from './rate.js';
import { readableTime } from './text.js';
import { announces, spell } from './countdown.js';

const MAX_DURATION = 10 * 366 * 86_400_000;

/**
 * The admin plugin's state, handed to every command: the store, the running bans and mutes held in memory
 * (the database keeps them across restarts; the checks on every login and message cost no query), the
 * message counter for /stats and the shutdown countdown.
 */
export class Admin {
  readonly store: AdminStore;
  readonly messages = new RateCounter();
  private readonly bans = new Map<string, BanRecord>();
  private readonly mutes = new Map<string, MuteRecord>();
  private countdown?: { cancel: () => void; at: number; by: string };

  constructor(readonly ctx: PrivilegedContext<AdminConfig>) {
    this.store = new AdminStore(ctx.db);
  }

  get config(): AdminConfig { return this.ctx.config; }
  now(): number { return this.ctx.clock.now(); }

  /** Load the running bans and mutes (at setup). */
  async load(): Promise<void> {
    const now = this.now();
    this.bans.clear();
    this.mutes.clear();
    for (const b of await this.store.activeBans(now)) this.bans.set(b.user.toLowerCase(), b);
    for (const m of await this.store.activeMutes(now)) this.mutes.set(m.user.toLowerCase(), m);
  }

  /** A running restriction from one of the maps; an ended one is dropped on the way. */
  private running<T extends BanRecord>(map: Map<string, T>, user: string): T | undefined {
    const key = user.toLowerCase();
    const r = map.get(key);
    if (!r) return undefined;
    if (r.until !== null && r.until <= this.now()) {
      map.delete(key);
      return undefined;
    }
    return r;
  }

  private all<T extends BanRecord>(map: Map<string, T>): T[] {
    return [...map.keys()].map((k) => this.running(map, k)).filter((r): r is T => r !== undefined)
      .sort((a, b) => a.created - b.created);
  }

  // ── Arguments ──

  /** The account named, or NO_SUCH_USER. */
  async account(name: string): Promise<Account> {
    const account = await this.ctx.use('auth').findUser(name);
    if (!account) throw new WhiskrError('NO_SUCH_USER', `There is no user ${name}.`);
    return account;
  }

  /** Refuse acting on yourself where it would lock you out. */
  notSelf(c: CommandContext, account: Account, what: string): void {
    if (account.name.toLowerCase() === c.user.name.toLowerCase()) throw new WhiskrError('NOT_ALLOWED', `You cannot ${what} yourself.`);
  }

  /** A reason text, checked against maxTextLength. */
  text(text: string): string {
    const t = text.trim();
    if (t.length > this.config.maxTextLength) throw new WhiskrError('BAD_ARGUMENTS', `That text is too long (${t.length} characters; at most ${this.config.maxTextLength}).`);
    return t;
  }

  /**
   * `[duration] [text…]` from argument i on. An argument there that starts with a digit must be a
   * duration (30s, 10m, 2h, 7d, 1w), so a typo never becomes a permanent ban with a strange reason.
   */
  durationAndText(args: CommandArgs, i: number): { ms: number | null; text: string } {
    const first = args.get(i);
    if (first !== undefined && /^\d/.test(first)) {
      const ms = parseDuration(first);
      if (ms === undefined || ms <= 0) throw new WhiskrError('BAD_ARGUMENTS', `${first} is not a duration: write it like 30s, 10m, 2h or 7d (none means permanent).`);
      if (ms > MAX_DURATION) throw new WhiskrError('BAD_ARGUMENTS', `${first} is more than 10 years; leave the duration out for a permanent one.`);
      return { ms, text: this.text(args.rest(i + 1)) };
    }
    return { ms: null, text: this.text(args.rest(i)) };
  }

  /** Write an audit row for an admin action. */
  async audit(c: CommandContext, action: string, target: string | null, text = '', detail = ''): Promise<void> {
    await this.store.audit({ at: this.now(), by: c.user.name, address: c.session.address, action, target, text, detail });
  }

  // ── Bans ──

  activeBan(user: string): BanRecord | undefined { return this.running(this.bans, user); }
  activeBans(): BanRecord[] { return this.all(this.bans); }

  async ban(b: BanRecord): Promise<void> {
    await this.store.putBan(b);
    this.bans.set(b.user.toLowerCase(), b);
  }

  /** Lift a ban; the record that was lifted (running or not), if any. */
  async unban(user: string): Promise<BanRecord | undefined> {
    const stored = (await this.store.ban(user)) ?? this.bans.get(user.toLowerCase());
    this.bans.delete(user.toLowerCase());
    await this.store.removeBan(user);
    return stored;
  }

  /** The login check: a banned user is refused, told until when and why. */
  refuseBanned(user: string): void {
    const ban = this.activeBan(user);
    if (ban) throw new WhiskrError('BANNED', bannedText(ban));
  }

  async importBan(given: BanRecord): Promise<boolean> {
    if (!given.user || given.user.length > 64) throw new WhiskrError('INVALID_NAME', `Cannot import a ban for ${JSON.stringify(given.user.slice(0, 80))}: names are 1 to 64 characters here.`);
    // Columns are bounded: a legacy record is cut to fit rather than refused.
    const ban: BanRecord = { ...given, by: given.by.slice(0, 64), text: given.text.slice(0, 2000) };
    const existing = await this.store.ban(ban.user);
    // The same ban again, or an older one than what is stored: nothing to do.
    if (existing && existing.created >= ban.created && (existing.created !== ban.created || existing.until === ban.until)) return false;
    await this.ban(ban);
    return true;
  }

  // ── Mutes ──

  async mute(m: MuteRecord): Promise<void> {
    await this.store.putMute(m);
    this.mutes.set(m.user.toLowerCase(), m);
  }

  async unmute(user: string): Promise<boolean> {
    const wasMuted = this.isMuted(user);
    this.mutes.delete(user.toLowerCase());
    const stored = await this.store.removeMute(user);
    return wasMuted || stored;
  }

  /** The running mute of a user (synchronous: the message check runs on every message). */
  muteOf(user: string): MuteRecord | undefined { return this.running(this.mutes, user); }
  isMuted(user: string): boolean { return this.muteOf(user) !== undefined; }
  activeMutes(): MuteRecord[] { return this.all(this.mutes); }

  /** The message check: a muted sender is refused. */
  refuseMuted(user: string): void {
    const m = this.muteOf(user);
    if (m) throw new WhiskrError('MUTED', mutedText(m));
  }

  /** Remove expired bans and mutes from the database (the checks already ignore them). */
  async sweep(): Promise<void> {
    const now = this.now();
    this.all(this.bans);
    this.all(this.mutes);
    const n = await this.store.purgeExpired(now);
    if (n > 0) this.ctx.log.debug(`removed ${n} expired ban(s)/mute(s)`);
  }

  // ── Shutdown ──

  get shutdownPending(): { at: number; by: string } | undefined { return this.countdown; }

  /**
   * Count down on the server's clock, with a notice to every session at the start and at sensible steps
   * (10 minutes, 5, 1, 30 seconds, 10…1), then shut the server down. The timer wakes each second and reads
   * the clock, so a step is never announced late or twice. The timers belong to the plugin's scope, so
   * unloading the plugin also stops a countdown.
   */
  startShutdown(seconds: number, by: string): void {
    const { host, delivery } = this.ctx;
    const at = this.now() + seconds * 1000;
    let said = Infinity;
    const tick = (): void => {
      const left = Math.max(0, Math.ceil((at - this.now()) / 1000));
      if (left <= 0) {
        this.countdown = undefined;
        void host.shutdown(`Shut down by ${by}.`);
        return;
      }
      if (left < said && announces(seconds, left)) {
        said = left;
        delivery.toAll(event('notice', { from: 'server', text: `The server shuts down in ${spell(left)} (by ${by}).` }));
      }
      const cancel = this.ctx.after(Math.min(1000, at - this.now() - (left - 1) * 1000), tick);
      this.countdown = { cancel, at, by };
    };
    tick();
  }

  cancelShutdown(): boolean {
    if (!this.countdown) return false;
    this.countdown.cancel();
    this.countdown = undefined;
    return true;
  }

  // ── The service ──

  service(): AdminService {
    return {
      activeBan: async (user) => this.activeBan(user),
      importBan: (ban) => this.importBan(ban),
      isMuted: (user) => this.isMuted(user),
      refuseMuted: (user) => this.refuseMuted(user),
    };
  }
}

/** What a banned user is told when logging in. */
export function bannedText(b: BanRecord): string {
  return `You are banned ${b.until === null ? 'permanently' : `until ${readableTime(b.until)}`} (by ${b.by})${b.text ? `: ${b.text}` : '.'}`;
}

/** What a muted user is told: until when and why. */
export function mutedText(m: MuteRecord): string {
  return `You are muted ${m.until === null ? 'until an admin unmutes you' : `until ${readableTime(m.until)}`} (by ${m.by})${m.text ? `: ${m.text}` : '.'}`;
}

export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : isoTime(ms));
