import type { Knex } from 'knex';
import type { Migration } from './database.js';
import type { Options } from './options.js';
import type { Logger } from './logger.js';
import type { Clock } from './clock.js';
import type { CommandSpec, TextHandler } from './commands.js';
import type { HookMap, HookName } from './hooks.js';
import type { EventType } from './events.js';
import type { TextRenderer, WireFormat } from './render.js';
import type { ListenSpec, Listening } from './plugin-listeners.js';
import type { CheckHook, DatabaseSettings, Delivery, EmitHook, Host, MessageIds, Output, Sessions, SettleHook } from './capabilities.js';
import type { Cluster } from './cluster.js';

/**
 * Services that plugins offer each other, by name. Each plugin declares its own:
 *   declare module '../../core/plugin.js' { interface Services { auth: AuthService } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface Services {}
export type ServiceName = keyof Services;

/**
 * A plugin: one exported definition in plugins/<name>/index.ts (`export default definePlugin({...})`).
 * `P`: whether it is privileged (gets ctx.host); inferred from `privileged`, false when absent.
 */
export interface PluginDefinition<C extends object = Record<string, unknown>, P extends boolean = boolean> {
  name: string;
  version: string;
  description?: string;
  /**
   * Plugins that must be loaded first; loading is refused, naming both, when one is missing. With
   * `optionalDependencies`, exactly the plugins whose services this one uses (ctx.use, ctx.service,
   * ctx.attach): using another's is an error in development and tests, a warning in production.
   */
  dependencies?: string[];
  /** Plugins whose services are used when present (looked up through ctx.service at use time). */
  optionalDependencies?: string[];
  /** The plugin's settings declared with their defaults and ranges (core/options.ts). */
  options?: Options<C>;
  /** Or only the defaults, for a plugin whose settings need no check beyond their types. */
  defaults?: C;
  migrations?: Migration[];
  /**
   * Control over the server itself (ctx.host: load/unload/reload plugins, rehash, shutdown). Only for a
   * plugin trusted as much as the core (the admin plugin).
   */
  privileged?: P;
  setup(ctx: ContextFor<C, P>): void | Promise<void>;
}

/** What setup receives: a privileged plugin's context has `host`, any other's has none. */
export type ContextFor<C extends object, P extends boolean> = P extends true ? PrivilegedContext<C> : PluginContext<C>;

export function definePlugin<C extends object, P extends boolean = false>(def: PluginDefinition<C, P>): PluginDefinition<C, P> {
  return def;
}

/**
 * The plugin contract: what a plugin registers with, all of it owned by the plugin's scope (unloading the
 * plugin removes every command, hook, renderer, service, attachment and timer it registered, in reverse order),
 * and the narrow capabilities it may use (core/capabilities.ts). A plugin gets nothing else of the core.
 */
export interface PluginContext<C extends object = Record<string, unknown>> {
  readonly name: string;
  readonly config: C;
  readonly log: Logger;
  /** The database; the plugin keeps to its own tables (its migrations). */
  readonly db: Knex;
  /** Where ctx.db is, for a plugin that opens a connection of its own. */
  readonly database: DatabaseSettings;
  readonly clock: Clock;
  /** Look sessions and online users up; close a session, disconnect a user, log a session in and out. */
  readonly sessions: Sessions;
  /** Send an event to a session, a user, a set of users or sessions, everyone. */
  readonly delivery: Delivery;
  /** The output bound of a session and the size of an event, to page a large reply. */
  readonly output: Output;
  /** Message ids. */
  readonly ids: MessageIds;
  /**
   * The other nodes of a cluster (core/cluster.ts): publish to them, subscribe to what they publish (stopped
   * with the plugin), who is where, the leader. On one node alone `enabled` is false and publishing does nothing.
   */
  readonly cluster: Cluster;
  /** True once the server has begun to shut down. */
  readonly shuttingDown: boolean;
  /** Fire a hook that is not the core's own (`message.sent`, or one the plugin declared). */
  emit: EmitHook;
  /** Fire a hook that is not the core's own and wait until every listener has finished (each in turn). */
  settle: SettleHook;
  /** Run a synchronous check hook (`message.check`): a listener's WhiskrError refuses and is thrown here. */
  check: CheckHook;
  command(spec: CommandSpec): void;
  hook<K extends HookName>(name: K, fn: HookMap[K]): void;
  /** Offer a service to other plugins. */
  provide<K extends ServiceName>(name: K, impl: Services[K]): void;
  /** A service if some plugin offers it now (look it up at use time: it may be reloaded or unloaded). */
  service<K extends ServiceName>(name: K): Services[K] | undefined;
  /** A service from a declared dependency. The handle follows reloads of the plugin behind it. */
  use<K extends ServiceName>(name: K): Services[K];
  render<K extends EventType>(type: K, fn: TextRenderer<K>): void;
  /** Register a wire format by name, for the sessions of a listener of the plugin (ctx.listen). */
  format(name: string, format: WireFormat): void;
  /**
   * Open a listener for a protocol of the plugin's own (once the server listens; a CLI task's boot opens
   * none). Sessions on it are the core's (admission, login, flood control, output bound, bans); the
   * plugin's `input` runs their lines. A reload keeps the socket and hands it the new version's spec.
   */
  listen(spec: ListenSpec): Listening;
  /** Take lines that are not commands (messages to the current target). */
  text(handler: TextHandler): void;
  /**
   * Register something with another plugin's service (a bot with the bots plugin's runner): `bind` runs
   * against the service's current version when this plugin's version goes live, again against each newer
   * version of the service (a reload of its plugin: the old version's state goes with it), and its
   * disposer runs when this plugin is unloaded. Nothing happens while no plugin offers the service.
   */
  attach<K extends ServiceName>(name: K, bind: (service: Services[K]) => Disposer | void): void;
  /** Call fn every `ms` milliseconds while the plugin is loaded; failures are logged. */
  every(ms: number, fn: () => unknown): void;
  /** Call fn once after `ms` milliseconds unless the plugin is unloaded first. Returns a cancel function. */
  after(ms: number, fn: () => unknown): () => void;
  /** Run fn when the plugin is unloaded (after everything registered later is removed). */
  onDispose(fn: () => unknown): void;
}

/** The context of a plugin whose definition says `privileged: true`. */
export interface PrivilegedContext<C extends object = Record<string, unknown>> extends PluginContext<C> {
  /** Control over the server: plugins, rehash, shutdown, uptime, the config's plugins section. */
  readonly host: Host;
}

export type Disposer = () => unknown;

/**
 * What one loaded version of a plugin registered. Registrations made during setup are staged and only
 * take effect when the scope is activated, so a reload can set up the new version completely before it
 * replaces the old one (and the old one keeps running if setup fails).
 */
export class Scope {
  private staged: (() => Disposer)[] = [];
  private disposers: Disposer[] = [];
  private cleanups: Disposer[] = [];
  private state: 'staged' | 'active' | 'disposed' = 'staged';

  constructor(private readonly log: Logger) {}

  get active(): boolean { return this.state === 'active'; }

  /** Register something: `activate` makes it take effect and returns how to undo it. */
  add(activate: () => Disposer): void {
    if (this.state === 'disposed') throw new Error('plugin scope already disposed');
    if (this.state === 'active') this.disposers.push(activate());
    else this.staged.push(activate);
  }

  /** Run fn at dispose time, after every registration is already removed (so it may take its time). */
  cleanup(fn: Disposer): void {
    if (this.state === 'disposed') throw new Error('plugin scope already disposed');
    this.cleanups.push(fn);
  }

  activate(): void {
    const staged = this.staged;
    this.staged = [];
    this.state = 'active';
    for (const a of staged) this.disposers.push(a());
  }

  /**
   * Remove every registration at once (synchronously, so no event reaches a half-removed plugin), then
   * run the cleanups, newest first.
   */
  async dispose(): Promise<void> {
    this.state = 'disposed';
    this.staged = [];
    const list = this.disposers.reverse();
    this.disposers = [];
    const pending: Promise<unknown>[] = [];
    for (const d of list) {
      try {
        const out = d();
        if (out instanceof Promise) pending.push(out.catch((err) => this.log.error('while unloading', err)));
      } catch (err) { this.log.error('while unloading', err); }
    }
    await Promise.all(pending);
    const cleanups = this.cleanups.reverse();
    this.cleanups = [];
    for (const c of cleanups) {
      try { await c(); } catch (err) { this.log.error('while unloading', err); }
    }
  }
}
