import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TestServer, type TestServerOptions } from './server.js';
import { createTestDatabase } from './database.js';
import { eventually } from './wait.js';
import { ServerProcess, freePort } from './process.js';

/** The shared NATS the suite may use (tests that stop NATS start their own: natsServer()). */
export const NATS_URL = process.env.WHISKR_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/**
 * Several real nodes in this process, on one fresh MariaDB database and a NATS, under a cluster name of
 * their own (so parallel test files never hear each other). Each node is a TestServer.
 */
export class TestCluster {
  private constructor(
    readonly nodes: TestServer[],
    readonly name: string,
    readonly databaseUrl: string,
    private readonly drop: () => Promise<void>,
    private readonly options: TestServerOptions & { nats: string[] },
  ) {}

  static async start(count: number, options: TestServerOptions & { nats?: string[] } = {}): Promise<TestCluster> {
    const db = await createTestDatabase('mysql');
    const name = `t${randomBytes(5).toString('hex')}`;
    const opts = { ...options, nats: options.nats ?? [NATS_URL] };
    const c = new TestCluster([], name, db.url, db.drop, opts);
    // One after another: the first runs the migrations, the others find them done.
    for (let i = 0; i < count; i++) c.nodes.push(await c.startNode(String.fromCharCode(97 + i)));
    await c.meshed();
    return c;
  }

  readonly processes: ServerProcess[] = [];

  /**
   * A node as a process of its own (`whiskr serve`, the shipped plugins, or the plugins of `config`: a
   * config file's content), to be killed with SIGKILL.
   */
  async spawn(node: string, config?: Record<string, unknown>): Promise<ServerProcess> {
    const env: NodeJS.ProcessEnv = {
      WHISKR_DATABASE_URL: this.databaseUrl, WHISKR_NATS_URL: this.options.nats.join(','), WHISKR_NODE: node, WHISKR_CLUSTER: this.name,
    };
    if (config) {
      const file = join(mkdtempSync(join(tmpdir(), 'whiskr-node-')), 'whiskr.json');
      writeFileSync(file, JSON.stringify(config));
      this.configFiles.push(file);
      env.WHISKR_CONFIG = file;
    }
    const p = await ServerProcess.start([], env);
    this.processes.push(p);
    return p;
  }

  private readonly configFiles: string[] = [];

  startNode(node: string): Promise<TestServer> {
    return TestServer.start({
      ...this.options,
      databaseUrl: this.databaseUrl,
      config: { ...this.options.config, cluster: { nats: this.options.nats, node, name: this.name } },
    });
  }

  /** Wait until every node hears every other (their heartbeats). */
  async meshed(): Promise<void> {
    const names = this.nodes.map((n) => n.server.cluster.node).sort().join(',');
    for (const n of this.nodes) await eventually(() => n.server.cluster.nodes().join(',') === names, `node ${n.server.cluster.node} to see ${names}`);
  }

  async stop(): Promise<void> {
    for (const p of this.processes) await p.kill();
    for (const f of this.configFiles) rmSync(dirname(f), { recursive: true, force: true });
    for (const n of this.nodes) await n.stop({ keepDatabase: true });
    await this.drop();
  }
}

/**
 * A nats-server of a test's own (JetStream on, in a temporary directory), on a free port, so that the
 * test may stop it and start it again on the same port and store. Stopped by its PID, never by name.
 */
export class NatsServer {
  private child?: import('node:child_process').ChildProcess;
  private constructor(readonly port: number, readonly dir: string) {}

  get url(): string { return `nats://127.0.0.1:${this.port}`; }

  static async start(): Promise<NatsServer> {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const n = new NatsServer(await freePort(), mkdtempSync(join(tmpdir(), 'whiskr-nats-')));
    await n.run();
    return n;
  }

  /** Start (again) and wait until it takes clients. */
  async run(): Promise<void> {
    const { spawn } = await import('node:child_process');
    const child = spawn(NATS_SERVER, ['-js', '-sd', this.dir, '-a', '127.0.0.1', '-p', String(this.port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`nats-server did not start: ${out}`)), 10_000);
      const on = (d: Buffer) => { out += d; if (/Server is ready/.test(out)) { clearTimeout(timer); resolve(); } };
      child.stdout?.on('data', on);
      child.stderr?.on('data', on);
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`nats-server exited (${code}): ${out}`)); });
    });
  }

  /** Stop it (SIGKILL: gone at once, as a crash or a cut network would be). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async dispose(): Promise<void> {
    await this.stop();
    const { rmSync } = await import('node:fs');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const NATS_SERVER = process.env.WHISKR_NATS_SERVER ?? '/usr/sbin/nats-server';
