import { randomBytes } from 'node:crypto';
import { TestServer, type TestServerOptions } from './server.js';
import { createTestDatabase } from './database.js';
import { eventually } from './wait.js';
import { ServerProcess } from './process.js';

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

  /** A node as a process of its own (`whiskr serve`, the shipped plugins), to be killed with SIGKILL. */
  async spawn(node: string): Promise<ServerProcess> {
    const p = await ServerProcess.start([], {
      WHISKR_DATABASE_URL: this.databaseUrl, WHISKR_NATS_URL: this.options.nats.join(','), WHISKR_NODE: node, WHISKR_CLUSTER: this.name,
    });
    this.processes.push(p);
    return p;
  }

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
    for (const n of this.nodes) await n.stop({ keepDatabase: true });
    await this.drop();
  }
}
