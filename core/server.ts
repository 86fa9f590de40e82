import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import type { Knex } from 'knex';
import { checkCluster, loadConfig, type LoadedConfig, type ServerConfig } from './config.js';
import { lockSqliteDatabase, openDatabase } from './database.js';
import { Logger, ConsoleSink, type LogSink, type LogLevel } from './logger.js';
import { systemClock, type Clock } from './clock.js';
import { Renderer } from './render.js';
import { Hooks, type LogoutReason } from './hooks.js';
import { CommandRegistry } from './commands.js';
import { PluginHost, type PluginImporter, type Reconfigured, type RehashResult } from './plugin-host.js';
import { LocalDelivery, type Delivery } from './delivery.js';
import { IdGenerator } from './ids.js';
import { ClusterNode, noCluster, type Cluster } from './cluster.js';
import { ClusterDelivery } from './cluster-delivery.js';
import { MetricsEndpoint } from './metrics.js';
import { Session, type SessionHost, type SessionUser } from './session.js';
import { Outbox } from './outbox.js';
import { InputQueue, type InputItem } from './input.js';
import { Admission } from './admission.js';
import { Listeners } from './listeners.js';
import { UserIndex } from './user-index.js';
import { LineRunner } from './line-runner.js';
import { LoginTimers } from './login-timers.js';
import { builtinCommands } from './builtin-commands.js';
import { localSessions } from './local-capabilities.js';
import type { CloseOptions } from './capabilities.js';
import { event, type ChatMessage, type ServerEvent } from './events.js';
import { isLoopback, SocketTransport, type Transport } from './transport.js';
import { Connection } from './connection.js';
import type { ServiceName, Services } from './plugin.js';
import type { ListenerEntry, ListenSpec, Listening } from './plugin-listeners.js';
import type { Server as NetServer } from 'node:net';

/** A plugin's listener: its spec (swapped on reload), how many loaded versions hold it, its sockets. */
interface PluginListener extends ListenerEntry { refs: number; plain?: NetServer; secure?: NetServer }

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
  readonly plugins: PluginHost;
  readonly delivery: Delivery & { readonly deliveries: number };
  readonly ids: IdGenerator;
  /** This node in its cluster, when `cluster.nats` is set. */
  readonly clusterNode?: ClusterNode;
  /** What plugins get as ctx.cluster: the node, or a stand-in that publishes nowhere. */
  readonly cluster: Cluster;
  /** Logins and chat messages since start (the metrics endpoint). */
  readonly counts = { logins: 0, messages: 0 };
  /** The Prometheus endpoint, when metrics.port is set. */
  metrics?: MetricsEndpoint;
  /** When the server started, on its clock (uptime in /stats). */
  readonly startedAt: number;
  db!: Knex;

  readonly sessions = new Set<Session>();
  private readonly users = new UserIndex();
  private readonly admission: Admission;
  private readonly listeners: Listeners;
  /** Sessions on a socket (the console's is not): their slot is freed when the socket is really closed. */
  private readonly onSockets = new WeakSet<Session>();
  private readonly inputs = new WeakMap<Session, InputQueue>();
  private readonly loginTimers = new LoginTimers((session, reason) => this.closeSession(session, reason));
  private readonly closeTimers = new WeakMap<Session, NodeJS.Timeout>();
  private readonly outbox = new Outbox();
  /** What all sessions share, and who runs their input: one of each, not closures per connection. */
  private readonly sessionHost: SessionHost & { maxOutputBytes: number };
  private readonly inputRunner = new LineRunner(this);
  private shuttingDown?: Promise<void>;
  /** Plugin listeners (ctx.listen) by address; opened once the server listens. */
  private readonly pluginListeners = new Map<string, PluginListener>();
  private listening = false;
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
    const users = this.users;
    const local = new LocalDelivery(this.renderer, (name) => users.of(name), () => this.sessions);
    if (this.config.cluster.nats.length > 0) {
      const node = new ClusterNode(this.config.cluster, this.log.child(`node ${this.config.cluster.node}`), {
        users: () => users.users(),
        user: (name) => users.of(name).values().next().value?.user,
      });
      node.onUserEvent = (user, e) => local.toUser(user, e as unknown as ServerEvent);
      node.onAllEvent = (e) => local.toAll(e as unknown as ServerEvent);
      // A killed node's last DMs to users here, which it may not have written: history writes them (ignoring ids it has).
      node.onRescue = (messages) => this.hooks.emit('message.rescued', messages as unknown as ChatMessage[]);
      node.connections = () => this.sessions.size;
      node.onState = (state) => this.clusterState(state);
      node.onDisconnect = (user, e, reason) => this.disconnectLocal(user, e as unknown as ServerEvent, reason as LogoutReason);
      this.clusterNode = node;
      this.delivery = new ClusterDelivery(local, node);
    } else {
      this.delivery = local;
    }
    this.cluster = this.clusterNode ?? noCluster;
    this.admission = new Admission(this.log);
    this.listeners = new Listeners(this.log, this.admission.acceptErrors, (socket) => this.accept(socket));
    this.ownDb = !options.db;
    if (options.db) this.db = options.db;
    for (const spec of builtinCommands(this.commands, localSessions(this))) this.commands.add(spec, 'core');
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
    const secure = this.config.server.tls.enabled ? this.listeners.tls(this.config.server) : undefined;
    checkCluster(this.config);
    if (this.ownDb) this.releaseDatabase = lockSqliteDatabase(this.config.database.url);
    if (this.clusterNode) {
      // Before the plugins: they may subscribe, and every id must carry the node's slot.
      await this.clusterNode.start();
      this.ids.useSlot(this.clusterNode.slot);
    }
    await this.boot();
    this.hooks.on('message.sent', 'core', () => { this.counts.messages++; });
    if (this.config.metrics.port > 0) await this.startMetrics();
    this.admission.descriptors.start();
    await this.listeners.listen(this.listeners.plain(), this.config.server.host, this.config.server.port);
    if (secure) await this.listeners.listen(secure, this.config.server.host, this.config.server.tls.port);
    this.listening = true;
    for (const entry of this.pluginListeners.values()) await this.openPluginListener(entry);
  }

  /**
   * A plugin's listener (ctx.listen). Registered again by a reload of the plugin (same address), the new
   * version's spec takes over the open socket and its sessions; the socket closes when no version holds it.
   * Returns how to let go of it.
   */
  listenFor(spec: ListenSpec): Listening & { release(): void } {
    const key = `${spec.host ?? this.config.server.host}:${spec.port}`;
    let entry = this.pluginListeners.get(key);
    if (entry) { entry.spec = spec; entry.refs++; } else {
      entry = { spec, refs: 1 };
      this.pluginListeners.set(key, entry);
      if (this.listening && !this.shuttingDown) void this.openPluginListener(entry).catch((err) => this.log.error(`cannot listen on ${key}`, err));
    }
    const held = entry;
    let released = false;
    return {
      port: (tls) => {
        const s = tls ? held.secure : held.plain;
        return s ? this.listeners.portOf(s) : 0;
      },
      release: () => {
        if (released) return;
        released = true;
        if (--held.refs > 0) return;
        this.pluginListeners.delete(key);
        if (held.plain) this.listeners.remove(held.plain);
        if (held.secure) this.listeners.remove(held.secure);
        for (const s of [...this.sessions]) if (s.listener === held) this.closeSession(s, 'listener closed');
      },
    };
  }

  private async openPluginListener(entry: PluginListener): Promise<void> {
    const { spec } = entry;
    const host = spec.host ?? this.config.server.host;
    const accept = (socket: Socket) => this.accept(socket, entry);
    const secure = this.config.server.tls.enabled && spec.tlsPort !== undefined ? this.listeners.tls(this.config.server, accept) : undefined;
    entry.plain = this.listeners.plain(accept);
    await this.listeners.listen(entry.plain, host, spec.port);
    if (secure) {
      entry.secure = secure;
      await this.listeners.listen(secure, host, spec.tlsPort!);
    }
  }

  private async startMetrics(): Promise<void> {
    const node = this.clusterNode;
    this.metrics = new MetricsEndpoint({
      node: this.config.cluster.node || 'single',
      connections: () => this.sessions.size,
      usersOnline: () => this.users.users().length,
      logins: () => this.counts.logins,
      messages: () => this.counts.messages,
      deliveries: () => this.delivery.deliveries,
      historyQueue: () => (this.service('history' as never) as { queueDepth?: () => number } | undefined)?.queueDepth?.() ?? null,
      natsUp: () => (node ? (node.state === 'ok' ? 1 : 0) : null),
      bus: () => node?.traffic ?? null,
    }, this.log.child('metrics'));
    await this.metrics.listen(this.config.metrics.host, this.config.metrics.port);
  }

  /** The port a listener is bound to (0: the plain one, 1: TLS). */
  port(index = 0): number { return this.listeners.port(index); }

  service<K extends ServiceName>(name: K): Services[K] | undefined {
    return this.plugins.service(name);
  }

  // ── Connections ───────────────────────────────────────────────────────────

  private accept(socket: Socket, listener?: PluginListener): void {
    socket.setNoDelay(true);
    socket.on('error', ignoreSocketError);
    const transport = new SocketTransport(socket);
    const refusal = this.admission.refusal(transport.remoteAddress, this.config.server, this.shuttingDown !== undefined);
    if (refusal) {
      socket.end(listener?.spec.refusal ? listener.spec.refusal(refusal) : `! RATE_LIMITED: ${refusal}\n`);
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    // A peer that vanished without a FIN or RST (a dead host, a dropped NAT mapping) is found by the kernel.
    socket.setKeepAlive(true, KEEPALIVE_MS);
    const session = this.openSession(transport, listener ? { listener } : {});
    this.onSockets.add(session);
    const connection = new Connection(this, session, transport, listener?.spec.maxLineBytes ?? this.config.server.maxLineBytes);
    socket.on('data', connection.onData);
    socket.on('close', connection.onClose);
  }

  /** The connection is really closed: its slot is free for another. */
  release(session: Session): void {
    if (this.admission.release(session)) clearTimeout(this.closeTimers.get(session));
  }

  /** Connections holding a slot: open sessions and those still closing. */
  get connections(): number { return this.admission.connections; }

  /** Start a session on a transport (a socket, or the operator console). */
  openSession(transport: Transport, options: { welcome?: boolean; listener?: PluginListener } = {}): Session {
    const session = new Session(transport, this.sessionHost);
    const listener = options.listener;
    if (listener) {
      session.listener = listener;
      session.format = listener.spec.format;
    }
    this.sessions.add(session);
    this.admission.take(session);
    const flood = this.config.flood;
    const limited = flood.enabled && !(flood.exemptLoopback && isLoopback(session.address)) && session.address !== 'console';
    this.inputs.set(session, new InputQueue(session, limited ? flood : undefined, this.inputRunner, flood.maxQueuedLines));
    this.loginTimers.start(session, this.config.server.loginTimeoutSeconds);
    if (listener) {
      try { listener.spec.open?.(session); } catch (err) { this.log.error('a plugin listener failed to greet a session', err); }
    } else if (options.welcome !== false) session.send(event('welcome', { server: 'Whiskr', version: VERSION, text: this.config.server.welcome }));
    this.hooks.emit('session.open', session);
    return session;
  }

  /** Let waiting output out if this event-loop turn has been running long (see Outbox). */
  flushIfLate(): void { this.outbox.flushIfLate(); }

  /** Hand a session one line of input (or a framing error), in order with its other lines. */
  input(session: Session, item: InputItem): void {
    // A blank line runs nothing, but it is a line: it costs flood budget like any other.
    this.inputs.get(session)?.push(item);
  }

  /** Lines waiting to run for a session (flood control). */
  queuedInput(session: Session): number { return this.inputs.get(session)?.length ?? 0; }

  /**
   * End a session: queued input is dropped (a kicked session's pending lines never run), output is
   * flushed unless told otherwise, and the user's logout hooks run.
   */
  closeSession(session: Session, reason: string, opts: CloseOptions = {}): void {
    if (session.closed) return;
    this.inputs.get(session)?.clear();
    if (opts.flush !== false) session.flushOutput();
    session.closed = true;
    session.closeReason = reason;
    this.loginTimers.stop(session);
    this.sessions.delete(session);
    if (opts.flush === false) session.transport.destroy(); else session.transport.end();
    if (!this.onSockets.has(session)) this.release(session);
    else if (this.admission.holds(session)) {
      // end() completes only once the peer has read what is pending: a peer that does not read would keep the
      // socket (and its slot) forever. It is cut after the grace period.
      const t = setTimeout(destroyTransport, this.config.server.closeGraceSeconds * 1000, session);
      t.unref();
      this.closeTimers.set(session, t);
    }
    if (session.user) void this.logout(session, opts.logout ?? (reason === 'shutdown' ? 'shutdown' : 'disconnect'), opts.quitText);
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
    this.loginTimers.stop(session);
    const first = this.users.add(user.name, session);
    if (first) this.clusterNode?.localPresence(user.name, true);
    this.counts.logins++;
    reply();
    await this.hooks.settle('user.login', session, { first });
  }

  /** End a session's login (it stays connected, anonymous, unless it is closing). */
  async logout(session: Session, reason: LogoutReason, quitText?: string): Promise<void> {
    const user = session.user;
    if (!user) return;
    const last = this.users.remove(user.name, session);
    if (last) this.clusterNode?.localPresence(user.name, false);
    if (reason === 'logout') session.user = undefined;
    await this.hooks.settle('user.logout', session, { last, reason, user, quitText });
  }

  /** Where, in id order, this node lost NATS (the catch-up point it gives clients when NATS is back). */
  private degradedSince?: string;

  /** NATS lost or back: admins here are told; when back, every logged-in session is told to catch up from history. */
  private clusterState(state: 'ok' | 'degraded'): void {
    if (state === 'degraded') {
      this.degradedSince = this.ids.next();
      const text = `Cluster degraded: node ${this.cluster.node} lost NATS; its users chat among themselves until it is back.`;
      for (const s of this.sessions) if (s.user?.role === 'admin') s.send(event('notice', { from: 'server', text }));
      return;
    }
    const after = this.degradedSince;
    this.degradedSince = undefined;
    if (!after) return;
    const e = event('catchup', { after, text: 'The cluster is whole again: messages from other nodes may have been missed; catching up from history.' });
    for (const s of this.sessions) if (s.user) s.send(e);
    for (const s of this.sessions) if (s.user?.role === 'admin') s.send(event('notice', { from: 'server', text: `Cluster whole again: node ${this.cluster.node} has NATS back.` }));
  }

  /** Open sessions of a user (any case). */
  sessionsOf(name: string): ReadonlySet<Session> { return this.users.of(name); }

  /** Whether a user is online here or, in a cluster, on another node. */
  isOnline(name: string): boolean { return this.users.has(name) || (this.clusterNode?.onlineElsewhere(name) ?? false); }

  /** Users with at least one open session. */
  onlineUsers(): SessionUser[] { return this.users.users(); }

  /**
   * Send an event to every session of a user, then close them (kick, ban); in a cluster, on every node.
   * Returns the sessions closed here plus the other nodes the user was on.
   */
  disconnectUser(name: string, e: ServerEvent, reason: LogoutReason): number {
    const elsewhere = this.clusterNode?.disconnect(name, e as unknown as Record<string, unknown>, reason) ?? 0;
    return this.disconnectLocal(name, e, reason) + elsewhere;
  }

  private disconnectLocal(name: string, e: ServerEvent, reason: LogoutReason): number {
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
      this.listeners.stop();
      this.delivery.toAll(event('shutdown', { text }));
      for (const s of [...this.sessions]) this.closeSession(s, 'shutdown', { logout: 'shutdown' });
      await this.hooks.settle('server.shutdown');
      await this.plugins.unloadAll();
      await this.clusterNode?.stop();
      await this.metrics?.close();
      if (this.ownDb && this.db) await this.db.destroy();
      this.releaseDatabase?.();
      await this.listeners.closed();
      this.log.info('stopped');
      this.stopped();
    })();
    return this.shuttingDown;
  }

  get isShuttingDown(): boolean { return this.shuttingDown !== undefined; }
}

/** How long a connection may be silent before the kernel starts probing whether its peer is still there. */
const KEEPALIVE_MS = 120_000;

function destroyTransport(session: Session): void { session.transport.destroy(); }

function ignoreSocketError(): void {
  // Reset by peer and the like: 'close' follows, and the session ends there.
}
