import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

/** The core's settings, with their defaults. Every key is documented in README.md, "Configuration". */
export const serverDefaults = {
  server: {
    /** Address to listen on. */
    host: '0.0.0.0',
    /** TCP port of the plain-text listener (the original Whiskr's port). */
    port: 6255,
    /** Longest accepted line in bytes, terminator excluded. */
    maxLineBytes: 4096,
    /** Output a session may have waiting before it is treated as not reading and disconnected. */
    maxOutputBytes: 1_048_576,
    /** Seconds an anonymous connection may stay without logging in (0: forever). */
    loginTimeoutSeconds: 60,
    /** Connections at once from one address (0: no limit). */
    maxConnectionsPerAddress: 20,
    /** Whether loopback addresses are held to maxConnectionsPerAddress. */
    limitLoopback: false,
    /** Connections at once in all (0: no limit). */
    maxConnections: 50_000,
    /** Seconds a closing connection may take to hand over its last output before it is cut (it counts against the caps until then). */
    closeGraceSeconds: 5,
    /** Text shown to a client when it connects. */
    welcome: 'Type /register <name> <password> or /login <name> <password>; /help lists the commands.',
    tls: {
      /** Whether to open a TLS listener beside the plain one. */
      enabled: false,
      /** Port of the TLS listener (6697 by convention). */
      port: 6697,
      /** Path of the PEM certificate (chain). */
      cert: '',
      /** Path of the PEM private key. */
      key: '',
    },
  },
  flood: {
    /** Whether input is rate limited at all. */
    enabled: true,
    /** Lines a session may send at once before lines are delayed (a pasted block goes through). */
    burst: 20,
    /** Lines per second a session may keep sending once its burst is used up. */
    linesPerSecond: 5,
    /** Delayed lines held per session; past this, lines are refused with RATE_LIMITED. */
    maxQueuedLines: 200,
    /** Lines refused with RATE_LIMITED within a minute before the connection is closed. */
    maxRefusedPerMinute: 50,
    /** Whether loopback connections are exempt (benchmarks, bots on the same host). */
    exemptLoopback: false,
  },
  database: {
    /** `sqlite:<path>` (relative to the working directory) or `mysql://user:pass@host:port/db`. */
    url: 'sqlite:data/whiskr.sqlite',
    /** MySQL: seconds a statement may wait for a lock or run, and a caller may wait for a free connection, before it fails with a clear error (0: no limit). */
    queryTimeoutSeconds: 5,
  },
  /**
   * Several nodes, one community (docs: README "A cluster"): NATS servers to meet on, and this node's name.
   * Without `nats` (the default) the server is one node alone, as it always was. Needs MySQL/MariaDB.
   */
  cluster: {
    /** NATS servers, e.g. ["nats://127.0.0.1:4222"] (or WHISKR_NATS_URL, comma-separated). Empty: no cluster. */
    nats: [] as string[],
    /** This node's name, unique in the cluster (letters, digits, - and _). */
    node: '',
    /** The cluster's name: its NATS subjects and key-value bucket start with it (several may share a NATS). */
    name: 'whiskr',
  },
  metrics: {
    /** Port of the Prometheus endpoint (GET /metrics); 0: none. */
    port: 0,
    /** Address it listens on (keep it private: it is not authenticated). */
    host: '127.0.0.1',
  },
  log: {
    /** debug, info, warn, error or silent. */
    level: 'info',
  },
  /**
   * Plugins to load, in dependency order, each with its options. A key is a plugin name under
   * plugins/ or a path (starting with `.` or `/`, relative to this file) to a plugin folder elsewhere.
   * Without the key, the shipped set; `{}` means no plugins at all (the server says so at start).
   */
  plugins: { auth: {}, channels: {}, history: {}, admin: {}, bots: {} } as Record<string, Record<string, unknown>>,
};

export type ServerConfig = typeof serverDefaults;

export class ConfigError extends Error {}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Lay `given` over `defaults`, refusing unknown keys and values of the wrong type, so a typo in the
 * config file is an error at start (or at /rehash) rather than a setting silently ignored.
 */
export function mergeChecked<T>(defaults: T, given: unknown, path: string, openKeys: string[] = []): T {
  if (given === undefined) return structuredClone(defaults);
  if (!isPlain(defaults)) {
    if (Array.isArray(defaults)) {
      if (!Array.isArray(given)) throw new ConfigError(`${path} must be a list`);
      return given as T;
    }
    if (typeof given !== typeof defaults) throw new ConfigError(`${path} must be a ${typeof defaults}, not ${JSON.stringify(given)}`);
    return given as T;
  }
  if (!isPlain(given)) throw new ConfigError(`${path} must be an object`);
  const out: Plain = structuredClone(defaults) as Plain;
  for (const [key, value] of Object.entries(given)) {
    const where = path ? `${path}.${key}` : key;
    if (openKeys.includes(where)) { out[key] = value; continue; }
    // Own keys only: `constructor`, `__proto__` or `toString` are `in` every object and must be unknown too.
    if (!Object.hasOwn(out, key)) throw new ConfigError(`unknown setting ${where}`);
    out[key] = mergeChecked(out[key], value, where, openKeys);
  }
  return out as T;
}

export interface LoadedConfig {
  config: ServerConfig;
  /** The file it came from, if any; plugin paths are relative to its folder. */
  file?: string;
  /** The command-line flags laid over the file: a rehash lays them over the re-read file again. */
  overrides?: ConfigOverrides;
}

export interface ConfigOverrides { port?: number; host?: string; database?: string }

/** Read the config file (JSON), lay it over the defaults, then the environment and flags over that. */
export function loadConfig(file: string | undefined, overrides: ConfigOverrides = {}, env = process.env): LoadedConfig {
  let given: unknown = {};
  let path: string | undefined;
  if (file) {
    path = resolve(file);
    let text: string;
    try { text = readFileSync(path, 'utf8'); } catch (err) { throw new ConfigError(`cannot read config ${path}: ${(err as Error).message}`); }
    try { given = JSON.parse(text); } catch (err) { throw new ConfigError(`config ${path} is not valid JSON: ${(err as Error).message}`); }
  }
  const config = mergeChecked(serverDefaults, given, '', ['plugins']);
  for (const [name, options] of Object.entries(config.plugins)) {
    if (options !== null && !isPlain(options)) throw new ConfigError(`plugins.${name} must be an object of options`);
    if (options === null) config.plugins[name] = {};
  }
  if (env.WHISKR_DATABASE_URL) config.database.url = env.WHISKR_DATABASE_URL;
  if (env.WHISKR_LOG) config.log.level = env.WHISKR_LOG;
  if (env.WHISKR_NATS_URL) config.cluster.nats = env.WHISKR_NATS_URL.split(',').map((u) => u.trim()).filter(Boolean);
  if (env.WHISKR_NODE) config.cluster.node = env.WHISKR_NODE;
  if (env.WHISKR_CLUSTER) config.cluster.name = env.WHISKR_CLUSTER;
  if (overrides.database) config.database.url = overrides.database;
  if (overrides.port !== undefined) config.server.port = overrides.port;
  if (overrides.host) config.server.host = overrides.host;
  return { config, file: path, overrides };
}

/** The settings a cluster cannot start with, as a clear error (checked at start, before anything is opened). */
export function checkCluster(config: ServerConfig): void {
  const c = config.cluster;
  if (c.nats.length === 0) return;
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(c.node)) throw new ConfigError(`cluster.node must name this node (letters, digits, - and _; at most 32), not ${JSON.stringify(c.node)}`);
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(c.name)) throw new ConfigError(`cluster.name must be letters, digits, - and _ (at most 32), not ${JSON.stringify(c.name)}`);
  if (!config.database.url.startsWith('mysql')) {
    throw new ConfigError(`a cluster needs a database every node shares (database.url mysql://…); ${config.database.url.split(':')[0]} is one process's own`);
  }
}

/** Where a plugin's code lives: a name under plugins/, or a path relative to the config file. */
export function pluginLocation(key: string, configFile: string | undefined, pluginsDir: string): string {
  if (key.startsWith('.') || isAbsolute(key)) return resolve(configFile ? dirname(configFile) : process.cwd(), key);
  return resolve(pluginsDir, key);
}
