import { rmSync } from 'node:fs';
import { mergeChecked, serverDefaults, type ServerConfig } from '../config.js';
import { Server } from '../server.js';
import type { LogRecord, LogSink } from '../logger.js';
import type { Clock } from '../clock.js';
import type { PluginImporter } from '../plugin-host.js';
import { createTestDatabase, type TestDatabaseKind } from './database.js';
import { TestClient } from './client.js';

/** The password of every account the harness makes (`user`, `login`, and `account`, `adminClient` in chat.ts). */
export const PASSWORD = 'correct horse battery';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export interface TestServerOptions {
  /** Plugins to load with their options, e.g. `{ auth: {}, channels: {} }`. */
  plugins?: Record<string, Record<string, unknown>>;
  /** Core settings over the test defaults. */
  config?: DeepPartial<Omit<ServerConfig, 'plugins'>>;
  db?: TestDatabaseKind;
  /** Keep using this database url (after a restart). */
  databaseUrl?: string;
  clock?: Clock;
  importer?: PluginImporter;
  /** A config file for /rehash tests. */
  configFile?: string;
  /** Log lines at `error` are expected: do not fail the test for them. */
  allowErrors?: boolean;
}

class CollectingSink implements LogSink {
  readonly records: LogRecord[] = [];
  write(r: LogRecord): void {
    this.records.push(r);
    if (process.env.WHISKR_TEST_LOG) process.stderr.write(`[${r.level}] ${r.scope}: ${r.message}\n`);
  }
}

/**
 * A real server on a free loopback port with the chosen plugins and a fresh database. Errors logged by
 * the server (a handler that threw, a plugin hook that failed) make `stop()` fail the test: the firewall
 * that protects users in production fails loudly here.
 */
export class TestServer {
  readonly clients: TestClient[] = [];
  private constructor(
    readonly server: Server,
    readonly sink: CollectingSink,
    readonly databaseUrl: string,
    private readonly dropDatabase: () => Promise<void>,
    readonly options: TestServerOptions,
  ) {}

  static async start(options: TestServerOptions = {}): Promise<TestServer> {
    const kind = options.db ?? 'sqlite';
    const created = options.databaseUrl ? { url: options.databaseUrl, drop: async () => {} } : await createTestDatabase(kind);
    // A shared in-memory SQLite database cannot outlive its server: use a temporary file instead so restarts keep it.
    let url = created.url;
    let drop = created.drop;
    if (url === 'sqlite::memory:') {
      const file = tmpSqlitePath();
      url = `sqlite:${file}`;
      drop = async () => { for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}.lock`, `${file}.history-journal`]) rmSync(f, { force: true }); };
    }
    const config = mergeChecked(serverDefaults, {
      ...options.config,
      server: { host: '127.0.0.1', port: 0, ...options.config?.server },
      log: { level: 'warn', ...options.config?.log },
      // Flood control is off unless a test turns it on: tests pipeline many commands from one address.
      flood: { enabled: false, ...options.config?.flood },
      database: { ...options.config?.database, url },
      plugins: cheapHashing(options.plugins ?? {}),
    }, '', ['plugins']);
    const sink = new CollectingSink();
    const server = new Server({ config: { config, file: options.configFile }, logSink: sink, clock: options.clock, importer: options.importer });
    await server.start();
    const failed = server.plugins.list().filter((p) => p.status === 'failed');
    if (failed.length && !options.allowErrors) {
      await server.shutdown();
      throw new Error(`plugins failed to load: ${failed.map((p) => p.error).join('; ')}`);
    }
    return new TestServer(server, sink, url, drop, options);
  }

  get port(): number { return this.server.port(); }

  /** Errors the server logged. */
  get errors(): LogRecord[] { return this.sink.records.filter((r) => r.level === 'error'); }

  /** A raw client (text format, not logged in); `from` is another loopback address to come from (127.0.0.2). */
  async connect(from?: string): Promise<TestClient> {
    const c = await TestClient.connect(this.port, '127.0.0.1', from);
    this.clients.push(c);
    await c.line(/Whiskr/);
    return c;
  }

  /** A client in json format. */
  async json(from?: string): Promise<TestClient> {
    const c = await this.connect(from);
    await c.ok('/format json');
    return c;
  }

  /** A json client registered (and so logged in) as `name`. */
  async user(name: string, password = PASSWORD): Promise<TestClient> {
    const c = await this.json();
    await c.ok(`/register ${name} ${password}`, 'login');
    return c;
  }

  /** A json client logged in to an existing account. */
  async login(name: string, password = PASSWORD): Promise<TestClient> {
    const c = await this.json();
    await c.ok(`/login ${name} ${password}`, 'login');
    return c;
  }

  /** Shut down and start again on the same database (for persistence tests). */
  async restart(overrides: Partial<TestServerOptions> = {}): Promise<TestServer> {
    await this.stop({ keepDatabase: true });
    return TestServer.start({ ...this.options, ...overrides, databaseUrl: this.databaseUrl });
  }

  async stop(opts: { keepDatabase?: boolean } = {}): Promise<void> {
    for (const c of this.clients) c.close();
    await this.server.shutdown();
    if (!opts.keepDatabase) await this.dropDatabase();
    const errors = this.errors;
    if (errors.length && !this.options.allowErrors) {
      throw new Error(`the server logged ${errors.length} error(s):\n${errors.map((e) => `${e.scope}: ${e.message}`).join('\n')}`);
    }
  }
}

/**
 * Password hashing at its production cost (scrypt N=16384, ~50-100 ms of CPU) would dominate the suite, where
 * nearly every test registers users: tests hash with N=1024 unless they set plugins.auth.scryptN themselves.
 */
function cheapHashing(plugins: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> {
  const auth = plugins.auth;
  if (!auth || 'scryptN' in auth) return plugins;
  return { ...plugins, auth: { scryptN: 1024, ...auth } };
}

let tmpCounter = 0;
function tmpSqlitePath(): string {
  return `${process.env.TMPDIR ?? '/tmp'}/whiskr-test-${process.pid}-${Date.now().toString(36)}-${tmpCounter++}.sqlite`;
}
