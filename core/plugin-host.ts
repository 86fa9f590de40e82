import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mergeChecked, pluginLocation } from './config.js';
import { migrate } from './database.js';
import { describeError } from './errors.js';
import { Scope, type Disposer, type PluginContext, type PluginDefinition, type PrivilegedContext, type ServiceName, type Services } from './plugin.js';
import type { Server } from './server.js';
import type { CheckHook, EmitHook, Host, Output, Sessions, SettleHook } from './capabilities.js';
import type { Cluster } from './cluster.js';
import { localHost, localOutput, localSessions } from './local-capabilities.js';

export type PluginStatus = 'loaded' | 'failed' | 'unloaded';

/** The config file's `plugins` section: options by key. */
export type PluginsSection = Record<string, Record<string, unknown>>;

export interface RehashResult { loaded: string[]; unloaded: string[]; reloaded: string[]; failed: string[]; needsRestart: string[] }

/** A re-read configuration, taken into use: the plugins before and after, and the settings that need a restart. */
export interface Reconfigured { before: PluginsSection; after: PluginsSection; needsRestart: string[] }

export interface PluginRecord {
  key: string;
  name: string;
  version: string;
  status: PluginStatus;
  error: string | null;
  options: Record<string, unknown>;
  definition?: PluginDefinition<object>;
  scope?: Scope;
}

/** A plugin operation that failed; the message says exactly what, and the previous version (if any) still runs. */
export class PluginError extends Error {}

/** Loads a plugin definition from its location. Replaceable in tests. */
export type PluginImporter = (location: string, generation: number) => Promise<unknown>;

/** Finds the entry file of a plugin folder (or takes a file as it is). */
export function pluginEntry(location: string): string {
  if (existsSync(location) && statSync(location).isDirectory()) {
    for (const f of ['index.ts', 'index.mts', 'index.js', 'index.mjs']) if (existsSync(join(location, f))) return join(location, f);
    throw new PluginError(`no index.ts in ${location}`);
  }
  for (const f of [location, `${location}.ts`, `${location}.js`]) if (existsSync(f) && statSync(f).isFile()) return f;
  throw new PluginError(`no plugin at ${location}`);
}

/**
 * The default importer. Node cannot evict an ES module, so each reload imports a new copy under a
 * query string; core/reload-hooks.mjs passes the query on to the plugin's own files (and only those), so
 * an edited helper file is picked up too, while the core stays one shared copy.
 */
export const importPlugin: PluginImporter = async (location, generation) => {
  const entry = pluginEntry(location);
  const url = pathToFileURL(entry);
  if (generation > 0) {
    const root = existsSync(location) && statSync(location).isDirectory() ? location : join(entry, '..');
    url.search = `whiskr-gen=${generation}&whiskr-root=${encodeURIComponent(root)}`;
  }
  return import(url.href);
};

function isDefinition(x: unknown): x is PluginDefinition<object> {
  const d = x as PluginDefinition<object>;
  return typeof d === 'object' && d !== null && typeof d.name === 'string' && typeof d.version === 'string' && typeof d.setup === 'function';
}

interface Attachment {
  owner: string;
  service: string;
  bind: (impl: never) => Disposer | void;
  impl?: unknown;
  undo?: Disposer;
}

export class PluginHost {
  private readonly records = new Map<string, PluginRecord>();
  private readonly services = new Map<string, { owner: string; impl: unknown }[]>();
  private generation = 0;
  /** One operation at a time: loads, unloads and rehashes never interleave. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly server: Server,
    private readonly pluginsDir: string,
    private readonly importer: PluginImporter = importPlugin,
  ) {}

  list(): PluginRecord[] { return [...this.records.values()]; }
  get(name: string): PluginRecord | undefined { return this.records.get(name); }
  isLoaded(name: string): boolean { return this.records.get(name)?.status === 'loaded'; }

  private serialize<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op, op);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Load every plugin of the config, dependencies first. Failures are recorded, not thrown. */
  loadAll(plugins: Record<string, Record<string, unknown>>): Promise<void> {
    return this.serialize(async () => {
      for (const [key, options] of Object.entries(plugins)) {
        try {
          await this.doLoad(key, options, false);
        } catch (err) {
          this.server.log.error(`plugin ${key} failed to load: ${(err as Error).message}`);
        }
      }
    });
  }

  /** Load (or, when loaded, reload) a plugin. Throws PluginError; the running version stays on failure. */
  load(key: string, options?: Record<string, unknown>): Promise<PluginRecord> {
    return this.serialize(() => this.doLoad(key, options ?? this.records.get(this.nameOf(key))?.options ?? {}, true));
  }

  reload(key: string, options?: Record<string, unknown>): Promise<PluginRecord> {
    return this.serialize(() => {
      const name = this.nameOf(key);
      const record = this.records.get(name);
      if (record?.status !== 'loaded') throw new PluginError(`${name} is not loaded`);
      return this.doLoad(record.key, options ?? record.options, true);
    });
  }

  /**
   * Re-read the configuration and load, unload or reload plugins to match, as one operation: `reconfigure`
   * (which reads the file and takes the new settings into use) runs in the queue too, so a second rehash
   * starts from what the first did, and no load or unload runs between the steps of one.
   */
  rehash(reconfigure: () => Reconfigured): Promise<RehashResult> {
    return this.serialize(async () => {
      const { before, after, needsRestart } = reconfigure();
      const result: RehashResult = { loaded: [], unloaded: [], reloaded: [], failed: [], needsRestart };
      for (const key of Object.keys(before).reverse()) {
        if (key in after) continue;
        try { await this.doUnload(this.nameOf(key)); result.unloaded.push(key); } catch (err) { result.failed.push(`${key}: ${(err as Error).message}`); }
      }
      for (const [key, options] of Object.entries(after)) {
        // By key, as before the host owned rehash: a plugin configured by path is loaded again each time.
        const record = this.records.get(key);
        const changed = JSON.stringify(before[key]) !== JSON.stringify(options);
        if (record?.status === 'loaded' && !changed) continue;
        try {
          await this.doLoad(key, options, true);
          (record?.status === 'loaded' ? result.reloaded : result.loaded).push(key);
        } catch (err) { result.failed.push((err as Error).message); }
      }
      return result;
    });
  }

  unload(key: string): Promise<void> {
    return this.serialize(() => this.doUnload(this.nameOf(key)));
  }

  /** Unload everything, dependents first (at shutdown). */
  unloadAll(): Promise<void> {
    return this.serialize(async () => {
      for (const r of [...this.records.values()].reverse()) {
        if (r.status === 'loaded') await this.doUnloadRecord(r);
      }
    });
  }

  /** The name a config key stands for: a name as it is, a path by the name its plugin gave. */
  private nameOf(key: string): string {
    for (const r of this.records.values()) if (r.key === key || r.name === key) return r.name;
    return key;
  }

  private async doLoad(key: string, options: Record<string, unknown>, fresh: boolean): Promise<PluginRecord> {
    const location = pluginLocation(key, this.server.configFile, this.pluginsDir);
    const previous = this.records.get(this.nameOf(key));
    // Clients (an admin's /plugin, /rehash) see paths relative to the project; the log has them whole.
    const shown = (full: string): string => {
      const message = withoutPaths(full, location, key);
      if (message !== full) this.server.log.warn(`plugin ${key}: ${full}`);
      return message;
    };
    const failed = (name: string, full: string): never => {
      const message = shown(full);
      if (!previous || previous.status !== 'loaded') {
        this.records.set(name, { key, name, version: previous?.version ?? '?', status: 'failed', error: message, options });
      } else {
        previous.error = message;
      }
      throw new PluginError(message);
    };

    let def: PluginDefinition<object>;
    try {
      // A fresh generation for every load after the first, so an edited file is read again.
      const mod = (await this.importer(location, fresh || previous ? ++this.generation : 0)) as { default?: unknown; plugin?: unknown };
      const found = mod.default ?? mod.plugin;
      if (!isDefinition(found)) return failed(key, `${key}: ${location} does not export a plugin definition (export default definePlugin({...}))`);
      def = found;
    } catch (err) {
      // Nothing at that location: no record is made for it.
      if (err instanceof PluginError) throw new PluginError(shown(`${key}: ${err.message}`));
      return failed(this.nameOf(key), `${key}: cannot import: ${firstLine(err)}`);
    }

    const name = def.name;
    for (const dep of def.dependencies ?? []) {
      if (!this.isLoaded(dep)) return failed(name, `${name} needs plugin ${dep}, which is not loaded`);
    }
    const cycle = this.cycleThrough(name, def);
    if (cycle) {
      // Uses go one way: a plugin the other uses registers with it (ctx.attach) instead of using it back.
      const message = `${name}: the declared dependencies go round in a cycle: ${cycle.join(' → ')}`;
      if (strictDependencies()) return failed(name, message);
      this.server.log.warn(message);
    }
    let config: object;
    try {
      config = mergeChecked(def.options?.defaults ?? def.defaults ?? {}, options, `plugins.${key}`);
    } catch (err) {
      return failed(name, `${name}: bad config: ${(err as Error).message}`);
    }
    try {
      def.options?.validate(config, `plugins.${key}`);
    } catch (err) {
      return failed(name, `${name}: ${(err as Error).message}`);
    }

    const log = this.server.log.child(name);
    const scope = new Scope(log);
    try {
      await migrate(this.server.db, name, def.migrations ?? []);
      await def.setup(this.context(name, config, scope, def.privileged === true, declaredUses(def)));
      // Swap: the new version's registrations take effect, then the old version's are removed.
      scope.activate();
    } catch (err) {
      await scope.dispose();
      log.error('failed to load', err);
      return failed(name, `${name}: ${firstLine(err)}`);
    }
    try {
      if (previous?.status === 'loaded') await previous.scope?.dispose();
    } catch (err) {
      log.error('while unloading the previous version', err);
    }
    const record: PluginRecord = { key, name, version: def.version, status: 'loaded', error: null, options, definition: def, scope };
    this.records.set(name, record);
    log.info(`${previous?.status === 'loaded' ? 'reloaded' : 'loaded'} version ${def.version}`);
    return record;
  }

  private async doUnload(name: string): Promise<void> {
    const record = this.records.get(name);
    if (!record || record.status !== 'loaded') throw new PluginError(`${name} is not loaded`);
    const dependents = [...this.records.values()].filter((r) => r.status === 'loaded' && r.definition?.dependencies?.includes(name)).map((r) => r.name);
    if (dependents.length) throw new PluginError(`${name} cannot be unloaded: ${dependents.join(', ')} depend${dependents.length === 1 ? 's' : ''} on it`);
    await this.doUnloadRecord(record);
  }

  private async doUnloadRecord(record: PluginRecord): Promise<void> {
    await record.scope?.dispose();
    record.status = 'unloaded';
    record.scope = undefined;
    record.error = null;
    this.server.log.child(record.name).info('unloaded');
  }

  /** A plugin's registration with another's service (ctx.attach), bound to the service's current version. */
  private readonly attachments = new Set<Attachment>();

  private attach(owner: string, service: string, bind: (impl: never) => Disposer | void): Disposer {
    const a: Attachment = { owner, service, bind };
    this.attachments.add(a);
    this.bindAttachment(a);
    return () => {
      this.attachments.delete(a);
      const undo = a.undo;
      a.impl = a.undo = undefined;
      try {
        const out = undo?.();
        if (out instanceof Promise) out.catch((err) => this.server.log.child(owner).error(`detaching from ${service} failed`, err));
      } catch (err) {
        this.server.log.child(owner).error(`detaching from ${service} failed`, err);
      }
    };
  }

  /** The service's provider changed: attachments follow its newest version (the old one's state goes with it). */
  private rebind(service: string): void {
    for (const a of this.attachments) if (a.service === service) this.bindAttachment(a);
  }

  private bindAttachment(a: Attachment): void {
    const impl = this.service(a.service as ServiceName);
    if (impl === a.impl) return;
    a.impl = impl;
    a.undo = undefined;
    if (impl === undefined) return;
    try {
      a.undo = a.bind(impl as never) ?? undefined;
    } catch (err) {
      this.server.log.child(a.owner).error(`attaching to ${a.service} failed`, err);
    }
  }

  service<K extends ServiceName>(name: K): Services[K] | undefined {
    const stack = this.services.get(name);
    return stack?.[stack.length - 1]?.impl as Services[K] | undefined;
  }

  /** A path `name → … → name` through the declared dependencies of `def` and of the loaded plugins, if any. */
  private cycleThrough(name: string, def: PluginDefinition<object>): string[] | undefined {
    const uses = (n: string): ReadonlySet<string> => {
      const d = n === name ? def : this.records.get(n)?.status === 'loaded' ? this.records.get(n)?.definition : undefined;
      return d ? declaredUses(d) : new Set();
    };
    const seen = new Set<string>();
    const walk = (n: string, path: string[]): string[] | undefined => {
      for (const next of uses(n)) {
        if (next === name) return [...path, next];
        if (seen.has(next)) continue;
        seen.add(next);
        const found = walk(next, [...path, next]);
        if (found) return found;
      }
      return undefined;
    };
    return walk(name, [name]);
  }

  /** Undeclared uses already warned about (production), as `user>provider`. */
  private readonly warned = new Set<string>();

  /**
   * `user` is about to use `service`: its provider must be `user` itself or among `declared` (the user's
   * dependencies and optional ones). An undeclared use is an error in development and tests, so the
   * declarations stay true; in production it is logged once and allowed, as it was.
   */
  private checkUse(user: string, declared: ReadonlySet<string>, service: string): void {
    const stack = this.services.get(service);
    const owner = stack?.[stack.length - 1]?.owner;
    if (owner === undefined || owner === user || declared.has(owner)) return;
    const message = `plugin ${user} uses the ${service} service of plugin ${owner} without declaring ${owner} in its dependencies or optionalDependencies`;
    if (!strictDependencies()) {
      if (this.warned.has(`${user}>${owner}`)) return;
      this.warned.add(`${user}>${owner}`);
      this.server.log.child(user).warn(message);
      return;
    }
    throw new PluginError(message);
  }

  /** The capabilities every context shares (made once: the server's parts exist by the first load). */
  private shared?: { sessions: Sessions; output: Output; host: Host; emit: EmitHook; settle: SettleHook; check: CheckHook };
  private get capabilities(): NonNullable<PluginHost['shared']> {
    const server = this.server;
    const hooks = server.hooks;
    // Bound, not wrapped in a rest-args arrow: `message.check` and `message.sent` run for every message.
    return this.shared ??= {
      sessions: localSessions(server),
      output: localOutput(server),
      host: localHost(server),
      emit: hooks.emit.bind(hooks) as EmitHook,
      settle: hooks.settle.bind(hooks) as SettleHook,
      check: hooks.checkSync.bind(hooks) as CheckHook,
    };
  }

  private context(name: string, config: object, scope: Scope, privileged: boolean, declared: ReadonlySet<string>): PluginContext<object> | PrivilegedContext<object> {
    const server = this.server;
    const host = this;
    const timers = (clear: () => void) => () => clear();
    const { sessions, output, emit, settle, check } = this.capabilities;
    const ctx: PluginContext<object> = {
      name, config, log: server.log.child(name), db: server.db, clock: server.clock,
      get database() { return server.config.database; },
      sessions, delivery: server.delivery, output, ids: server.ids, emit, settle, check,
      cluster: scopedCluster(server.cluster, scope),
      get shuttingDown() { return server.isShuttingDown; },
      command: (spec) => scope.add(() => server.commands.add(spec, name)),
      hook: (hook, fn) => scope.add(() => server.hooks.on(hook, name, fn)),
      render: (type, fn) => scope.add(() => server.renderer.add(type, fn)),
      format: (format, impl) => scope.add(() => server.renderer.addFormat(format, impl)),
      listen: (spec) => {
        let handle: ReturnType<Server['listenFor']> | undefined;
        scope.add(() => {
          handle = server.listenFor(spec);
          return () => handle?.release();
        });
        return { port: (tls) => handle?.port(tls) ?? 0 };
      },
      text: (handler) => scope.add(() => server.commands.setTextHandler(handler, name)),
      attach: (service, bind) => {
        host.checkUse(name, declared, service);
        scope.add(() => host.attach(name, service, (impl) => {
          host.checkUse(name, declared, service);
          return bind(impl);
        }));
      },
      provide: (service, impl) => scope.add(() => {
        const stack = host.services.get(service) ?? [];
        const entry = { owner: name, impl };
        stack.push(entry);
        host.services.set(service, stack);
        host.rebind(service);
        return () => {
          const i = stack.indexOf(entry);
          if (i >= 0) stack.splice(i, 1);
          host.rebind(service);
        };
      }),
      service: (service) => {
        host.checkUse(name, declared, service);
        return host.service(service);
      },
      use: (service) => new Proxy({}, {
        get(_target, prop) {
          host.checkUse(name, declared, service);
          const impl = host.service(service) as Record<string | symbol, unknown> | undefined;
          if (!impl) throw new Error(`service ${String(service)} is not available (its plugin is not loaded)`);
          return impl[prop];
        },
      }) as never,
      every: (ms, fn) => scope.add(() => {
        const t = setInterval(() => firewall(server, name, fn), ms);
        t.unref();
        return timers(() => clearInterval(t));
      }),
      after: (ms, fn) => {
        let cancel = () => {};
        let done = false;
        scope.add(() => {
          if (done) return () => {};
          const t = setTimeout(() => { done = true; firewall(server, name, fn); }, ms);
          t.unref();
          cancel = () => { done = true; clearTimeout(t); };
          return () => clearTimeout(t);
        });
        return () => { done = true; cancel(); };
      },
      onDispose: (fn) => scope.cleanup(fn),
    };
    // Only a plugin that asks for it gets the host handle; any other's context has no `host` at all.
    return privileged ? Object.assign(ctx, { host: this.capabilities.host }) : ctx;
  }
}

/** The plugins whose services a definition says it uses. */
function declaredUses(def: PluginDefinition<object>): ReadonlySet<string> {
  return new Set([...(def.dependencies ?? []), ...(def.optionalDependencies ?? [])]);
}

/** Undeclared service use is an error outside production (development, tests) and a warning in it. */
function strictDependencies(): boolean {
  return process.env.NODE_ENV !== 'production' || process.env.VITEST !== undefined;
}

function firewall(server: Server, owner: string, fn: () => unknown): void {
  try {
    const out = fn();
    if (out instanceof Promise) out.catch((err) => server.log.child(owner).error('timer failed', err));
  } catch (err) {
    server.log.child(owner).error('timer failed', err);
  }
}

/** The folder holding core/ and plugins/: paths under it are shown relative to it. */
const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A failure's text with the plugin's location as a path relative to the project (or its key, when outside). */
export function withoutPaths(message: string, location: string, key: string): string {
  const rel = relative(PROJECT_ROOT, location);
  const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : key;
  return message.split(location).join(shown).split(PROJECT_ROOT + sep).join('').split(pathToFileURL(PROJECT_ROOT).href + '/').join('');
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : describeError(err)).split('\n')[0]!;
}

/** ctx.cluster for one plugin version: its subscriptions end when it is unloaded (or replaced by a reload). */
function scopedCluster(cluster: Cluster, scope: Scope): Cluster {
  if (!cluster.enabled) return cluster;
  const stops = new Set<() => void>();
  scope.add(() => () => { for (const stop of stops) stop(); stops.clear(); });
  return {
    enabled: true,
    node: cluster.node,
    publish: (topic, data) => cluster.publish(topic, data),
    subscribe: (topic, fn) => {
      const stop = cluster.subscribe(topic, fn);
      const once = () => { if (stops.delete(once)) stop(); };
      stops.add(once);
      return once;
    },
    nodes: () => cluster.nodes(),
    isLeader: () => cluster.isLeader(),
    onlineElsewhere: (name) => cluster.onlineElsewhere(name),
    remoteUsers: () => cluster.remoteUsers(),
    remoteUser: (name) => cluster.remoteUser(name),
    setAway: (name, text) => cluster.setAway(name, text),
    get state() { return cluster.state; },
    nodeStats: () => cluster.nodeStats(),
    onPresence: (fn) => {
      const stop = cluster.onPresence(fn);
      const once = () => { if (stops.delete(once)) stop(); };
      stops.add(once);
      return once;
    },
    onResync: (fn) => {
      const stop = cluster.onResync(fn);
      const once = () => { if (stops.delete(once)) stop(); };
      stops.add(once);
      return once;
    },
    onGone: (fn) => {
      const stop = cluster.onGone(fn);
      const once = () => { if (stops.delete(once)) stop(); };
      stops.add(once);
      return once;
    },
  };
}
