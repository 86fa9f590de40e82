import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import type { Knex } from 'knex';
import { ConfigError, loadConfig, type LoadedConfig, type ServerConfig } from './config.js';
import { lockSqliteDatabase, openDatabase } from './database.js';
import { Logger, ConsoleSink, type LogSink, type LogLevel } from './logger.js';
import { systemClock, type Clock } from './clock.js';
import { Renderer } from './render.js';
import { Hooks, type LogoutReason } from './hooks.js';
import { CommandRegistry } from './commands.js';
import { BotRegistry } from './bots.js';
import { PluginHost, type PluginImporter, type Reconfigured, type RehashResult } from './plugin-host.js';
import { LocalDelivery, type Delivery } from './delivery.js';
import { IdGenerator } from './ids.js';
import { AcceptErrorLog, DescriptorBudget, isDescriptorShortage } from './descriptors.js';
import { Session, type SessionHost, type SessionUser } from './session.js';
import { Outbox } from './outbox.js';
import { InputQueue, type InputItem, type InputRunner } from './input.js';
import { TurnBudget } from './turn-budget.js';
import { dispatchLine } from './dispatcher.js';
import { builtinCommands } from './builtin-commands.js';
import { localSessions } from './local-capabilities.js';
import { event, type ServerEvent } from './events.js';
import { isLoopback, SocketTransport, type Transport } from './transport.js';
import { Connection } from './connection.js';
import { nameKey, parseLine } from './parse.js';
import type { ServiceName, Services } from './plugin.js';

export const VERSION = '0.1.0';
const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_PLUGINS_DIR = resolve(here, '..', 'plugins');

export interface ServerOptions {
  config: LoadedConfig;
  logSink?: LogSink;
  clock?: Clock;
  pluginsDir?: string;
  importer?: PluginImporter;
  /** Use this database instead of opening config.database.url. */
  db?: Knex;
}

export type { RehashResult } from './plugin-host.js';

/**
 * The core: listeners, sessions and the users they are logged in as, the command registry and the plugin
 * host. Everything a user can do beyond /help, /format, /ping and /quit comes from plugins.
 */
export class Server {
  config: ServerConfig;
  configFile?: string;
  readonly log: Logger;
  readonly clock: Clock;
  readonly renderer = new Renderer();
  readonly hooks: Hooks;
  readonly commands = new CommandRegistry();
  readonly bots = new BotRegistry();
  readonly plugins: PluginHost;
  readonly delivery: Delivery & { deliveries: number };
  readonly ids: IdGenerator;
  /** When the server started, on its clock (uptime in /stats). */
  readonly startedAt: number;
  db!: Knex;

  readonly sessions = new Set<Session>();
  private readonly byUser = new Map<string, Set<Session>>();
  /** Connections that hold a slot (the caps): open sessions, and closed ones whose socket is still closing. */
  private readonly held = new Set<Session>();
  private readonly perAddress = new Map<string, number>();
  /** Sessions on a socket (the console's is not): their slot is freed when the socket is really closed. */
  private readonly onSockets = new WeakSet<Session>();
  private readonly acceptErrors = new AcceptErrorLog();
  private readonly descriptors = new DescriptorBudget();
  private readonly inputs = new WeakMap<Session, InputQueue>();
  private readonly loginTimers = new WeakMap<Session, NodeJS.Timeout>();
  private readonly closeTimers = new WeakMap<Session, NodeJS.Timeout>();
  private readonly outbox = new Outbox();
  /** The share of each event-loop turn for lines of sessions that have not logged in (see TurnBudget). */
  private readonly entryBudget = new TurnBudget(ENTRY_BUDGET_MS);
  /** What all sessions share, and who runs their input: one of each, not closures per connection. */
  private readonly sessionHost: SessionHost & { maxOutputBytes: number };
  private readonly inputRunner: InputRunner;
  private listeners: NetServer[] = [];
  private shuttingDown?: Promise<void>;
  private stopped!: () => void;
  /** Resolves when a shutdown (from /shutdown, a signal or a test) has finished. */
  readonly whenStopped = new Promise<void>((r) => { this.stopped = r; });
  private readonly ownDb: boolean;
  /** Drops the lock that keeps a second server off the same SQLite file. */
  private releaseDatabase?: () => void;

  constructor(private readonly options: ServerOptions) {
    this.config = options.config.config;
    this.configFile = options.config.file;
    this.log = new Logger(options.logSink ?? new ConsoleSink(), this.config.log.level as LogLevel);
    this.clock = options.clock ?? systemClock;
    this.startedAt = this.clock.now();
    this.hooks = new Hooks(this.log);
    this.ids = new IdGenerator(() => this.clock.now());
    this.plugins = new PluginHost(this, options.pluginsDir ?? DEFAULT_PLUGINS_DIR, options.importer);
    this.delivery = new LocalDelivery(this.renderer, (name) => this.sessionsOf(name), () => this.sessions);
    this.ownDb = !options.db;
    if (options.db) this.db = options.db;
    for (const spec of builtinCommands(this.commands, localSessions(this))) this.commands.add(spec, 'core');
    this.bots.log = this.log.child('bots');
    this.bots.clock = this.clock;
    const server = this;
    this.sessionHost = {
      outbox: this.outbox,
      renderer: this.renderer,
      maxOutputBytes: this.config.server.maxOutputBytes,
      overflow(session) {
        server.log.warn(`session ${session.id} (${session.address}) is not reading its output; disconnecting`);
        server.closeSession(session, 'output overflow', { flush: false });
      },
    };
    this.inputRunner = {
      now: () => this.clock.now(),
      run: (session, item) => this.runInput(session, item),
      // Logins and registrations wait their turn behind chat when many arrive at once.
      deferred: (session) => session.user === undefined && this.entryBudget.spent(),
      refuse: (session, why, item) => {
        // Named like the line's own reply would be, so a client can tell which of its lines was dropped.
        const command = 'line' in item ? this.commandOf(item.line) : undefined;
        session.send(event('error', {
          code: 'RATE_LIMITED',
          text: why === 'abuse' ? 'Too many lines; disconnecting.' : 'Too many lines at once; this one was dropped. Slow down.',
          ...(command ? { command } : {}),
        }));
        if (why === 'abuse') {
          this.log.warn(`session ${session.id} (${session.address}) flooding; disconnecting`);
          this.closeSession(session, 'flood');
        }
      },
    };
  }

  /** Open the database and load the configured plugins, without listening (for CLI tasks). */
  async boot(): Promise<void> {
    this.db ??= openDatabase(this.config.database.url, { queryTimeoutSeconds: this.config.database.queryTimeoutSeconds });
    if (Object.keys(this.config.plugins).length === 0) {
      this.log.warn('no plugins configured ("plugins": {}): only the core commands work; without the key, the shipped set loads');
    }
    await this.plugins.loadAll(this.config.plugins);
  }

  /** Boot, then listen on the configured port(s). */
  async start(): Promise<void> {
    // The certificate is read first: an unusable one stops the start before anything is opened.
    const secure = this.config.server.tls.enabled ? this.tlsListener() : undefined;
    if (this.ownDb) this.releaseDatabase = lockSqliteDatabase(this.config.database.url);
    await this.boot();
    this.descriptors.start();
    const plain = createServer({ noDelay: true }, (socket) => this.accept(socket));
    await this.listen(plain, this.config.server.port);
    if (secure) await this.listen(secure, this.config.server.tls.port);
  }

  /** The TLS listener (server.tls): sessions on it are like plain ones once the handshake is done. */
  private tlsListener(): NetServer {
    const tls = this.config.server.tls;
    const read = (what: 'cert' | 'key'): Buffer => {
      try { return readFileSync(tls[what]); } catch (err) {
        throw new ConfigError(`server.tls.${what}: cannot read ${JSON.stringify(tls[what])}: ${(err as Error).message}`);
      }
    };
    const cert = read('cert');
    const key = read('key');
    // A handshake counts as anonymous time: bounded like a login (Node's own default is 120 s).
    const login = this.config.server.loginTimeoutSeconds;
    const handshakeTimeout = Math.round(Math.min(login > 0 ? login : 120, 120) * 1000);
    let secure: NetServer;
    try {
      secure = createTlsServer({ cert, key, handshakeTimeout }, (socket) => this.accept(socket));
    } catch (err) {
      throw new ConfigError(`server.tls: the TLS certificate or key is not usable: ${(err as Error).message}`);
    }
    // With a listener here Node does not close the socket itself: a client that never handshakes would stay.
    secure.on('tlsClientError', (err, socket) => {
      this.log.debug(`TLS handshake failed: ${err.message}`);
      socket.destroy();
    });
    return secure;
  }

  private listen(server: NetServer, port: number): Promise<void> {
    return new Promise((resolvePromise, reject) => {
      server.once('error', reject);
      server.listen({ port, host: this.config.server.host, backlog: 4096 }, () => {
        server.off('error', reject);
        server.on('error', (err) => {
          // Out of file descriptors: the listener keeps accepting once some are freed; say so, but not per connection.
          if (isDescriptorShortage(err)) this.acceptErrors.report(this.log, `out of file descriptors (${(err as NodeJS.ErrnoException).code})`);
          else this.log.error('listener error', err);
        });
        this.listeners.push(server);
        this.log.info(`listening on ${this.config.server.host}:${this.port(this.listeners.length - 1)}`);
        resolvePromise();
      });
    });
  }

  /** The port a listener is bound to (0: the plain one, 1: TLS). */
  port(index = 0): number {
    const addr = this.listeners[index]?.address();
    return typeof addr === 'object' && addr ? addr.port : 0;
  }

  service<K extends ServiceName>(name: K): Services[K] | undefined {
    return this.plugins.service(name);
  }

  // ── Connections ───────────────────────────────────────────────────────────

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    socket.on('error', ignoreSocketError);
    const transport = new SocketTransport(socket);
    const refusal = this.admissionRefusal(transport.remoteAddress);
    if (refusal) {
      socket.end(`! RATE_LIMITED: ${refusal}\n`);
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    // A peer that vanished without a FIN or RST (a dead host, a dropped NAT mapping) is found by the kernel.
    socket.setKeepAlive(true, KEEPALIVE_MS);
    const session = this.openSession(transport);
    this.onSockets.add(session);
    const connection = new Connection(this, session, transport, this.config.server.maxLineBytes);
    socket.on('data', connection.onData);
    socket.on('close', connection.onClose);
  }

  /** The connection is really closed: its slot is free for another. */
  release(session: Session): void {
    if (!this.held.delete(session)) return;
    clearTimeout(this.closeTimers.get(session));
    const n = (this.perAddress.get(session.address) ?? 1) - 1;
    if (n > 0) this.perAddress.set(session.address, n); else this.perAddress.delete(session.address);
  }

  /** Connections holding a slot: open sessions and those still closing. */
  get connections(): number { return this.held.size; }

  private admissionRefusal(address: string): string | undefined {
    const s = this.config.server;
    if (this.shuttingDown) return 'The server is shutting down.';
    if (s.maxConnections > 0 && this.held.size >= s.maxConnections) return 'The server is full; try again later.';
    if (this.descriptors.full(this.held.size)) {
      this.acceptErrors.report(this.log, `the file descriptor limit allows ${this.descriptors.max} connections; refusing new ones`);
      return 'The server is full; try again later.';
    }
    if (s.maxConnectionsPerAddress > 0 && (s.limitLoopback || !isLoopback(address))
      && (this.perAddress.get(address) ?? 0) >= s.maxConnectionsPerAddress) return `Too many connections from ${address}.`;
    return undefined;
  }

  /** Start a session on a transport (a socket, or the operator console). */
  openSession(transport: Transport, options: { welcome?: boolean } = {}): Session {
    const session = new Session(transport, this.sessionHost);
    this.sessions.add(session);
    this.held.add(session);
    this.perAddress.set(session.address, (this.perAddress.get(session.address) ?? 0) + 1);
    const flood = this.config.flood;
    const limited = flood.enabled && !(flood.exemptLoopback && isLoopback(session.address)) && session.address !== 'console';
    this.inputs.set(session, new InputQueue(session, limited ? flood : undefined, this.inputRunner, flood.maxQueuedLines));
    const timeout = this.config.server.loginTimeoutSeconds;
    if (timeout > 0 && session.address !== 'console') {
      const t = setTimeout(() => {
        if (session.user || session.closed) return;
        session.send(event('error', { code: 'NOT_LOGGED_IN', text: `No login within ${timeout} seconds; closing.` }));
        this.closeSession(session, 'login timeout');
      }, timeout * 1000);
      t.unref();
      this.loginTimers.set(session, t);
    }
    if (options.welcome !== false) session.send(event('welcome', { server: 'Whiskr', version: VERSION, text: this.config.server.welcome }));
    this.hooks.emit('session.open', session);
    return session;
  }

  /** The command a line would run, as its error reply names it (a plain line's errors name none). */
  private commandOf(line: string): string | undefined {
    const parsed = parseLine(line);
    if (parsed.kind !== 'command') return undefined;
    return this.commands.find(parsed.name)?.name ?? parsed.name;
  }

  /** Let waiting output out if this event-loop turn has been running long (see Outbox). */
  flushIfLate(): void { this.outbox.flushIfLate(); }

  /** Hand a session one line of input (or a framing error), in order with its other lines. */
  input(session: Session, item: InputItem): void {
    // A blank line runs nothing, but it is a line: it costs flood budget like any other.
    this.inputs.get(session)?.push(item);
  }

  private async runInput(session: Session, item: InputItem): Promise<void> {
    if ('error' in item) {
      const max = this.config.server.maxLineBytes;
      session.send(event('error', item.error === 'LINE_TOO_LONG'
        ? { code: 'LINE_TOO_LONG', text: `Lines are limited to ${max} bytes; that one was discarded.` }
        : { code: 'BAD_ENCODING', text: 'That line was not valid UTF-8; it was discarded.' }));
      return;
    }
    await dispatchLine(this, session, item.line);
  }

  /** Lines waiting to run for a session (flood control). */
  queuedInput(session: Session): number { return this.inputs.get(session)?.length ?? 0; }

  /**
   * End a session: queued input is dropped (a kicked session's pending lines never run), output is
   * flushed unless told otherwise, and the user's logout hooks run.
   */
  closeSession(session: Session, reason: string, opts: { flush?: boolean; logout?: LogoutReason } = {}): void {
    if (session.closed) return;
    this.inputs.get(session)?.clear();
    if (opts.flush !== false) session.flushOutput();
    session.closed = true;
    session.closeReason = reason;
    clearTimeout(this.loginTimers.get(session));
    this.sessions.delete(session);
    if (opts.flush === false) session.transport.destroy(); else session.transport.end();
    if (!this.onSockets.has(session)) this.release(session);
    else if (this.held.has(session)) {
      // end() completes only once the peer has read what is pending: a peer that does not read would keep the
      // socket (and its slot) forever. It is cut after the grace period.
      const t = setTimeout(destroyTransport, this.config.server.closeGraceSeconds * 1000, session);
      t.unref();
      this.closeTimers.set(session, t);
    }
    if (session.user) void this.logout(session, opts.logout ?? (reason === 'shutdown' ? 'shutdown' : 'disconnect'));
    this.hooks.emit('session.close', session);
  }

  // ── Users ────────────────────────────────────────────────────────────────

  /**
   * Log a session in as a user: the login checks run (a ban refuses here), the session joins the user's
   * others, `reply` sends the login reply, then the plugins' login hooks run (auto-join, offline messages).
   */
  async login(session: Session, user: SessionUser, reply: () => void): Promise<void> {
    await this.hooks.check('login.check', user, session);
    if (session.closed) return;
    session.user = user;
    clearTimeout(this.loginTimers.get(session));
    const key = nameKey(user.name);
    let set = this.byUser.get(key);
    if (!set) this.byUser.set(key, (set = new Set()));
    const first = set.size === 0;
    set.add(session);
    reply();
    await this.hooks.settle('user.login', session, { first });
  }

  /** End a session's login (it stays connected, anonymous, unless it is closing). */
  async logout(session: Session, reason: LogoutReason): Promise<void> {
    const user = session.user;
    if (!user) return;
    const key = nameKey(user.name);
    const set = this.byUser.get(key);
    set?.delete(session);
    const last = !set || set.size === 0;
    if (set && last) this.byUser.delete(key);
    if (reason === 'logout') session.user = undefined;
    session.target = undefined;
    await this.hooks.settle('user.logout', session, { last, reason, user });
  }

  /** Open sessions of a user (any case). */
  sessionsOf(name: string): ReadonlySet<Session> {
    return this.byUser.get(nameKey(name)) ?? EMPTY;
  }

  isOnline(name: string): boolean { return this.byUser.has(nameKey(name)); }

  /** Users with at least one open session. */
  onlineUsers(): SessionUser[] {
    const out: SessionUser[] = [];
    for (const set of this.byUser.values()) {
      const first = set.values().next().value as Session | undefined;
      if (first?.user) out.push(first.user);
    }
    return out;
  }

  /** Send an event to every session of a user, then close them (kick, ban). */
  disconnectUser(name: string, e: ServerEvent, reason: LogoutReason): number {
    const sessions = [...this.sessionsOf(name)];
    for (const s of sessions) {
      s.send(e);
      this.closeSession(s, reason, { logout: reason });
    }
    return sessions.length;
  }

  // ── Configuration and shutdown ───────────────────────────────────────────

  /** Re-read the config file; load, unload or reload plugins to match. Settings that need a restart are reported. */
  rehash(): Promise<RehashResult> {
    return this.plugins.rehash(() => this.reconfigure());
  }

  /** Read the config file again and take its live settings into use (run by the plugin host, in its queue). */
  private reconfigure(): Reconfigured {
    // The flags and environment the server was started with still apply: only the file's edits count.
    const fresh = loadConfig(this.configFile, this.options.config.overrides, process.env).config;
    const needsRestart: string[] = [];
    for (const key of ['host', 'port', 'tls'] as const) {
      if (JSON.stringify(fresh.server[key]) !== JSON.stringify(this.config.server[key])) needsRestart.push(`server.${key}`);
    }
    if (fresh.database.url !== this.config.database.url) needsRestart.push('database.url');
    if (fresh.database.queryTimeoutSeconds !== this.config.database.queryTimeoutSeconds) needsRestart.push('database.queryTimeoutSeconds');
    const before = this.config.plugins;
    // Settings that apply live take effect for new sessions and lines from now on.
    const keep = { host: this.config.server.host, port: this.config.server.port, tls: this.config.server.tls };
    this.config = { ...fresh, server: { ...fresh.server, host: keep.host, port: keep.port, tls: keep.tls }, database: this.config.database };
    this.sessionHost.maxOutputBytes = this.config.server.maxOutputBytes;
    return { before, after: fresh.plugins, needsRestart };
  }

  /**
   * Stop: tell every session, close the connections (pending output flushed), let plugins write what they
   * hold (history), unload them, close the database.
   */
  shutdown(text = 'The server is shutting down.'): Promise<void> {
    this.shuttingDown ??= (async () => {
      this.log.info('shutting down');
      for (const l of this.listeners) l.close();
      this.delivery.toAll(event('shutdown', { text }));
      for (const s of [...this.sessions]) this.closeSession(s, 'shutdown', { logout: 'shutdown' });
      await this.hooks.settle('server.shutdown');
      await this.plugins.unloadAll();
      if (this.ownDb && this.db) await this.db.destroy();
      this.releaseDatabase?.();
      await Promise.all(this.listeners.map((l) => new Promise<void>((r) => { l.close(() => r()); setTimeout(r, 2000).unref(); })));
      this.log.info('stopped');
      this.stopped();
    })();
    return this.shuttingDown;
  }

  get isShuttingDown(): boolean { return this.shuttingDown !== undefined; }
}

const EMPTY: ReadonlySet<Session> = new Set();

/** How long a connection may be silent before the kernel starts probing whether its peer is still there. */
const KEEPALIVE_MS = 120_000;
/** Milliseconds of each event-loop turn that lines from sessions not yet logged in may take. */
const ENTRY_BUDGET_MS = 1;

function destroyTransport(session: Session): void { session.transport.destroy(); }

function ignoreSocketError(): void {
  // Reset by peer and the like: 'close' follows, and the session ends there.
}
