import { RateLimiter, WhiskrError, event, isLoopback, isValidUserName, isoTime, nameKey, type CommandContext, type PluginContext, type Role, type Session, type Clock, type Logger } from '../../core/index.js';
import type { Account, AuthService, LegacyPassword, Whereabouts } from './api.js';
import type { AuthConfig } from './config.js';
import { AuthStore, publicAccount, type StoredAccount } from './store.js';
import { hashPassword, isOutdated, newToken, tokenHash, verifyLegacy, verifyPassword, type ScryptParams } from './password.js';
import type { HashPool } from './hash-pool.js';
import { addressKey, waitText } from './limiter.js';

/** The key of failures on one account from one client address. */
const accountAddress = (name: string, session: Session): string => `${nameKey(name)} ${addressKey(session.address)}`;

/** Whether a name reads as one of the staff names: any case, with `-`, `_`, `.` or trailing digits added. */
export function isStaffName(name: string, staff: readonly string[]): boolean {
  const bare = nameKey(name).replace(/[-_.]/g, '').replace(/\d+$/, '');
  return staff.some((s) => nameKey(s) === bare);
}

/** How long a lastSeen waits to be written with others. */
const LAST_SEEN_FLUSH_MS = 1_000;

/** How many ways of splitting `/passwd`'s line into old and new password are tried. */
const MAX_PASSWD_SPLITS = 8;

/**
 * Accounts, passwords, logins and reconnect tokens. The commands are thin wrappers around this; the
 * AuthService other plugins and the CLI use is `service()`.
 */
export class Accounts {
  readonly store: AuthStore;
  /** Failures per (account, address): past the limit, that address is refused for that account only. */
  private readonly byAccountAddress: RateLimiter;
  /** Per account, one step per address with failures in the window: many guessers at once. */
  private readonly byAccount: RateLimiter;
  private readonly byAddress: RateLimiter;
  /** Registrations per address (counted like failures: each one is a step toward the limit). */
  private readonly registrations: RateLimiter;
  /** Names with a login in progress (to refuse a second login when multiple sessions are off). */
  private readonly entering = new Set<string>();
  /** Who else holds names (the bot runner): see AuthService.reserveNames. */
  private readonly reservations = new Set<(name: string) => boolean>();
  /** Where a user is (the channels plugin's, when loaded): see AuthService.tellWhereabouts. */
  whereabouts: Whereabouts | undefined;
  /** Logged-in sessions and their account ids (lastSeen at shutdown). */
  private readonly online = new Map<Session, number>();
  /** Writes started by hooks, finished before the database closes. */
  private readonly pending = new Set<Promise<unknown>>();
  /** The lastSeen flush in progress or scheduled (see AuthStore.flushSeen). */
  private seenFlush?: Promise<void>;
  private seenTimer?: () => void;
  /** A hash to spend time on when the account does not exist, so timing does not tell which names exist. */
  private dummy?: Promise<import('./password.js').PasswordHash>;

  private readonly config: AuthConfig;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(
    /** The plugin's context: its commands reach other plugins' services through it. */
    readonly ctx: PluginContext<AuthConfig>,
    /** Where passwords are hashed: low-priority threads (see hash-pool.ts). */
    private readonly hashes: HashPool,
  ) {
    const { db, config, clock } = ctx;
    this.config = config;
    this.clock = clock;
    this.log = ctx.log;
    this.store = new AuthStore(db);
    const windowMs = () => config.failureWindowSeconds * 1000;
    const now = () => clock.now();
    // Always counted (it also says which addresses failed on an account); refused only when the limit is set.
    this.byAccountAddress = new RateLimiter(() => ({ count: Math.max(1, config.maxFailuresPerAccount), windowMs: windowMs() }), now);
    this.byAccount = new RateLimiter(() => ({ count: config.maxFailingAddressesPerAccount, windowMs: windowMs() }), now);
    this.byAddress = new RateLimiter(() => ({ count: config.maxFailuresPerAddress, windowMs: windowMs() }), now);
    this.registrations = new RateLimiter(() => ({ count: config.maxRegistrationsPerAddressPerHour, windowMs: 3_600_000 }), now);
    // After a reload, the sessions logged in through the previous version are still online.
    for (const s of ctx.sessions.all()) if (s.user) this.online.set(s, s.user.id);
  }

  get params(): ScryptParams { return { N: this.config.scryptN, r: this.config.scryptR, p: this.config.scryptP }; }

  sweep(): void {
    this.byAccountAddress.sweep();
    this.byAccount.sweep();
    this.byAddress.sweep();
    this.registrations.sweep();
  }

  // ── Checks ──

  checkName(name: string): void {
    if (!isValidUserName(name)) {
      throw new WhiskrError('INVALID_NAME', `"${name.slice(0, 40)}" is not a valid name: use 2 to 32 letters, digits, "_", "-" or ".".`);
    }
  }

  checkPassword(password: string): void {
    const length = [...password].length;
    if (length < this.config.minPasswordLength) {
      throw new WhiskrError('WEAK_PASSWORD', `Passwords need at least ${this.config.minPasswordLength} characters.`);
    }
    if (length > this.config.maxPasswordLength) {
      throw new WhiskrError('BAD_ARGUMENTS', `Passwords are limited to ${this.config.maxPasswordLength} characters.`);
    }
  }

  private checkRate(session: Session, name: string): void {
    const pair = this.config.maxFailuresPerAccount > 0 ? this.byAccountAddress.waitMs(accountAddress(name, session)) : 0;
    const account = Math.max(pair, this.byAccount.waitMs(nameKey(name)));
    if (account > 0) {
      throw new WhiskrError('RATE_LIMITED', `Too many failed logins for ${name}; try again in ${waitText(account)}.`);
    }
    const address = this.byAddress.waitMs(addressKey(session.address));
    if (address > 0) {
      throw new WhiskrError('RATE_LIMITED', `Too many failed logins from your address; try again in ${waitText(address)}.`);
    }
  }

  private failed(session: Session, name: string | undefined): WhiskrError {
    // Only names that could be accounts are counted per account (and so kept in memory).
    if (name !== undefined && isValidUserName(name)) {
      const pair = accountAddress(name, session);
      // An address counts once toward the account's own limit, so no single address can lock it for others.
      if (this.byAccountAddress.count(pair) === 0) this.byAccount.record(nameKey(name));
      this.byAccountAddress.record(pair);
    }
    this.byAddress.record(addressKey(session.address));
    this.log.info(`failed login${name !== undefined ? ` for ${name.slice(0, 40)}` : ''} from ${session.address}`);
    return new WhiskrError('INVALID_CREDENTIALS', 'Wrong name or password.');
  }

  // ── Accounts ──

  async createUser(name: string, password: string, role: Role = 'user'): Promise<StoredAccount> {
    this.checkName(name);
    this.checkPassword(password);
    const key = nameKey(name);
    if ([...this.reservations].some((taken) => taken(name)) || this.config.reservedNames.some((r) => nameKey(r) === key)) {
      throw new WhiskrError('NAME_TAKEN', `The name ${name} is reserved.`);
    }
    if (await this.store.find(name)) throw new WhiskrError('NAME_TAKEN', `The name ${name} is taken.`);
    const hash = await hashPassword(this.hashes, password, this.params);
    const account = await this.store.create({ name, role, password: hash, createdAt: this.clock.now() });
    if (!account) throw new WhiskrError('NAME_TAKEN', `The name ${name} is taken.`);
    this.log.info(`account ${account.name} created (${role})`);
    return account;
  }

  /** Whether the password opens the account; a legacy password is upgraded to scrypt, an outdated hash re-hashed. */
  async checkCredentials(account: StoredAccount | undefined, password: string): Promise<boolean> {
    if (!account) {
      // Spend the same time as a real check, so a reply's delay does not say whether the name exists.
      this.dummy ??= hashPassword(this.hashes, 'not a password', this.params);
      await verifyPassword(this.hashes, password, await this.dummy);
      return false;
    }
    if (account.password) {
      if (!(await verifyPassword(this.hashes, password, account.password))) return false;
      if (isOutdated(account.password, this.params)) await this.store.setPassword(account.id, await hashPassword(this.hashes, password, this.params));
      return true;
    }
    if (account.legacy && verifyLegacy(password, account.legacy.kind, account.legacy.hash)) {
      await this.store.setPassword(account.id, await hashPassword(this.hashes, password, this.params));
      this.log.info(`legacy password of ${account.name} upgraded to scrypt`);
      return true;
    }
    return false;
  }

  /** Whether the password opens the account, without upgrading anything. */
  private async verifyOnly(account: StoredAccount, password: string): Promise<boolean> {
    if (account.password) return verifyPassword(this.hashes, password, account.password);
    return account.legacy !== undefined && verifyLegacy(password, account.legacy.kind, account.legacy.hash);
  }

  async setRole(name: string, role: Role): Promise<StoredAccount> {
    const account = await this.store.find(name);
    if (!account) throw new WhiskrError('NO_SUCH_USER', `There is no user ${name}.`);
    await this.store.setRole(account.id, role);
    for (const s of this.ctx.sessions.of(account.name)) if (s.user) s.user.role = role;
    return { ...account, role };
  }

  /** Account from the original Whiskr (the legacy importer): kept as it is when the name exists already. */
  async importLegacy(name: string, role: Role, legacy: LegacyPassword): Promise<'created' | 'exists'> {
    this.checkName(name);
    if (await this.store.find(name)) return 'exists';
    const account = await this.store.create({ name, role, legacy, createdAt: this.clock.now() });
    return account ? 'created' : 'exists';
  }

  // ── Sessions ──

  async register(ctx: CommandContext, name: string, password: string, wantToken: boolean): Promise<void> {
    this.refuseIfLoggedIn(ctx.session);
    if (this.config.registration === 'closed') {
      throw new WhiskrError('REGISTRATION_CLOSED', 'Registration is closed on this server; ask an admin for an account.');
    }
    const address = ctx.session.address;
    const limited = this.config.limitLoopbackRegistrations || !isLoopback(address);
    const wait = limited ? this.registrations.waitMs(addressKey(address)) : 0;
    if (wait > 0) throw new WhiskrError('RATE_LIMITED', `Too many accounts registered from your address; try again in ${waitText(wait)}.`);
    if (isStaffName(name, this.config.staffNames)) {
      throw new WhiskrError('NAME_TAKEN', `The name ${name} is reserved: it could be mistaken for the server or its staff.`);
    }
    const account = await this.createUser(name, password, 'user');
    if (limited) this.registrations.record(addressKey(address));
    await this.enter(ctx, account, wantToken);
  }

  async passwordLogin(ctx: CommandContext, name: string, password: string, wantToken: boolean): Promise<void> {
    this.refuseIfLoggedIn(ctx.session);
    this.checkRate(ctx.session, name);
    // A name that cannot exist needs no hashing to refuse (and saying so tells nothing about the accounts).
    if (!isValidUserName(name) || password.length > this.config.maxPasswordLength * 4) throw this.failed(ctx.session, name);
    const account = await this.store.find(name);
    if (!(await this.checkCredentials(account, password)) || !account) throw this.failed(ctx.session, name);
    this.byAccountAddress.clear(accountAddress(name, ctx.session));
    await this.enter(ctx, account, wantToken);
  }

  async tokenLogin(ctx: CommandContext, name: string, token: string, rotate: boolean): Promise<void> {
    this.refuseIfLoggedIn(ctx.session);
    const address = this.byAddress.waitMs(addressKey(ctx.session.address));
    if (address > 0) throw new WhiskrError('RATE_LIMITED', `Too many failed logins from your address; try again in ${waitText(address)}.`);
    const hash = tokenHash(token);
    const found = await this.store.tokenAccount(hash, this.clock.now());
    const account = found?.account;
    if (!found || !account || nameKey(account.name) !== nameKey(name)) {
      this.byAddress.record(addressKey(ctx.session.address));
      throw new WhiskrError('INVALID_CREDENTIALS', 'That token is not valid (expired, revoked, or for another name); log in with your password.');
    }
    if (!rotate) return this.enter(ctx, account, false, hash);
    // Swapped for a fresh one: the old token stops working before the reply, and comes back if the login is refused.
    await this.store.revokeToken(hash);
    try {
      await this.enter(ctx, account, true);
    } finally {
      if (!ctx.session.user) await this.store.restoreToken(account.id, hash, found.createdAt, found.expiresAt);
    }
  }

  /** Log the session in through the core (bans, indexing, the reply, then the plugins' login hooks). */
  private async enter(ctx: CommandContext, account: StoredAccount, wantToken: boolean, usedToken?: string): Promise<void> {
    const session = ctx.session;
    this.refuseIfLoggedIn(session);
    const key = nameKey(account.name);
    if (!this.config.allowMultipleSessions && (this.ctx.sessions.isOnline(account.name) || this.entering.has(key))) {
      throw new WhiskrError('ALREADY_LOGGED_IN', `${account.name} is already logged in from another connection; this server allows one at a time.`);
    }
    const now = this.clock.now();
    let issued: { token: string; hash: string; expires: number } | undefined;
    if (wantToken && this.config.tokenTtlSeconds > 0) {
      const t = newToken();
      issued = { ...t, expires: now + this.config.tokenTtlSeconds * 1000 };
      await this.store.addToken(account.id, t.hash, now, issued.expires, this.config.maxTokensPerUser);
    }
    this.entering.add(key);
    const user = { id: account.id, name: account.name, role: account.role };
    try {
      await this.ctx.sessions.login(session, user, () => {
        session.data.auth = { account: { ...publicAccount(account), lastSeen: this.clock.now() }, token: issued?.hash ?? usedToken };
        ctx.reply(event('login', {
          user: account.name, role: account.role,
          ...(issued ? { token: issued.token, tokenExpires: isoTime(issued.expires) } : {}),
        }));
      });
    } catch (err) {
      if (issued) await this.store.revokeToken(issued.hash);
      throw err;
    } finally {
      this.entering.delete(key);
    }
    if (session.user === user) {
      this.online.set(session, account.id);
      this.touch(account.id);
    } else if (issued) {
      await this.store.revokeToken(issued.hash);
    }
  }

  async logout(session: Session): Promise<void> {
    const token = session.data.auth?.token;
    if (token) await this.store.revokeToken(token);
    session.data.auth = undefined;
    await this.ctx.sessions.logout(session, 'logout');
  }

  /**
   * `/passwd <old> <new…>` where either may contain spaces: each split of the line at a space is tried as
   * old + new (at most one split can match the old password), up to MAX_PASSWD_SPLITS of them.
   */
  async passwd(session: Session, line: string): Promise<void> {
    const user = session.user!;
    this.checkRate(session, user.name);
    const account = await this.store.byId(user.id);
    let newPassword: string | undefined;
    if (account) {
      const spaces = [...line.matchAll(/ /g)].map((m) => m.index!).filter((i) => i > 0 && line[i - 1] !== ' ').slice(0, MAX_PASSWD_SPLITS);
      for (const at of spaces) {
        const rest = line.slice(at).replace(/^ +/, '');
        if (rest === '') continue;
        if (await this.verifyOnly(account, line.slice(0, at))) { newPassword = rest; break; }
      }
    }
    if (newPassword === undefined || !account) {
      this.failed(session, user.name);
      throw new WhiskrError('INVALID_CREDENTIALS', 'The old password is wrong.');
    }
    this.checkPassword(newPassword);
    await this.store.setPassword(account.id, await hashPassword(this.hashes, newPassword, this.params));
    await this.store.revokeTokens(account.id);
    for (const s of this.ctx.sessions.of(account.name)) if (s.data.auth) s.data.auth.token = undefined;
    this.log.info(`${account.name} changed their password; reconnect tokens revoked`);
  }

  /** The user.logout hook: remember when the user was last connected. */
  async loggedOut(session: Session, info: { last: boolean; user: { id: number } }): Promise<void> {
    // At shutdown the server.shutdown hook writes every online user's lastSeen at once, before the database closes.
    if (this.ctx.shuttingDown) return;
    this.online.delete(session);
    // /quit is a deliberate goodbye, like /logout: its token goes. A dropped connection keeps it for the reconnect.
    const token = session.closeReason === 'quit' ? session.data.auth?.token : undefined;
    if (token) await this.store.revokeToken(token);
    if (info.last) this.touch(info.user.id);
  }

  /** The server.shutdown hook: finish pending writes, then mark everyone still online as last seen now. */
  async shuttingDown(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    const now = this.clock.now();
    for (const id of this.online.values()) this.store.touch(id, now);
    this.online.clear();
    await this.flushSeen();
  }

  private async track<T>(write: Promise<T>): Promise<T> {
    this.pending.add(write);
    try { return await write; } finally { this.pending.delete(write); }
  }

  /** Note lastSeen now; written within LAST_SEEN_FLUSH_MS with everyone else's (one statement, not one per login). */
  private touch(id: number): void {
    this.store.touch(id, this.clock.now());
    this.seenTimer ??= this.ctx.after(LAST_SEEN_FLUSH_MS, () => { this.seenTimer = undefined; return this.flushSeen(); });
  }

  /** Write the noted lastSeen values, one flush at a time (so that a newer value is never overwritten by an older one). */
  flushSeen(): Promise<void> {
    const run = (this.seenFlush ?? Promise.resolve()).catch(() => {}).then(() => this.store.flushSeen())
      .catch((err: Error) => {
        this.log.warn(`last-seen times not written yet: ${err.message}`);
        // Kept noted: tried again a window later.
        this.seenTimer ??= this.ctx.after(LAST_SEEN_FLUSH_MS, () => { this.seenTimer = undefined; return this.flushSeen(); });
      });
    this.seenFlush = run;
    return this.track(run);
  }

  private refuseIfLoggedIn(session: Session): void {
    if (session.user) throw new WhiskrError('ALREADY_LOGGED_IN', `You are logged in as ${session.user.name}; /logout first.`);
  }

  service(): AuthService {
    return {
      reserveNames: (taken) => {
        this.reservations.add(taken);
        return () => this.reservations.delete(taken);
      },
      tellWhereabouts: (where) => {
        this.whereabouts = where;
        return () => { if (this.whereabouts === where) this.whereabouts = undefined; };
      },
      findUser: async (name) => {
        const account = await this.store.find(name);
        return account ? publicAccount(account) : undefined;
      },
      createUser: async (name, password, role) => publicAccount(await this.createUser(name, password, role)),
      setRole: async (name, role) => publicAccount(await this.setRole(name, role)),
      listUsers: async () => (await this.store.list()).map(publicAccount),
      sessionUser: (session): Account | undefined => {
        const user = session.user;
        const account = session.data.auth?.account;
        if (!user || !account || account.id !== user.id) return undefined;
        return { ...account, role: user.role };
      },
      importLegacyAccount: (name, role, legacy) => this.importLegacy(name, role, legacy),
    };
  }
}
