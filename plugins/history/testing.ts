import { createServer, connect, type Server as NetServer, type Socket } from 'node:net';
import { TestServer, type JsonEvent, type TestClient, type TestDatabaseKind, type TestServerOptions } from '../../core/testing/index.js';
import { MESSAGES } from './migrations.js';

/** Test helpers for the history plugin's TCP tests. */
export const PASSWORD = 'correct horse battery';

/** A server with auth, history (short write window) and channels. */
export function startChat(db: TestDatabaseKind, history: Record<string, unknown> = {}, extra: Partial<TestServerOptions> = {}): Promise<TestServer> {
  return TestServer.start({ db, plugins: { auth: { scryptN: 1024 }, history: { flushIntervalMs: 10, ...history }, channels: {} }, ...extra });
}

/** Register (or log in) and wait for the auto-join's history. */
export async function member(server: TestServer, name: string, existing = false): Promise<TestClient> {
  const c = existing ? await server.login(name) : await server.user(name);
  await c.next('history');
  return c;
}

export async function admin(server: TestServer, name: string): Promise<TestClient> {
  await server.server.service('auth')!.createUser(name, PASSWORD, 'admin');
  return member(server, name, true);
}

/** Send a plain line to the current target and wait for its echo; returns the message. */
export async function say(c: TestClient, text: string): Promise<JsonEvent> {
  return c.ok(text, 'message', (e) => e.text === text);
}

/** Rows stored for a conversation key (after writing what is queued). */
export async function storedRows(server: TestServer, key?: string): Promise<{ id: string; text: string }[]> {
  await server.server.service('history')!.flush();
  const q = server.server.db(MESSAGES).select('id', 'text').orderBy('id');
  if (key !== undefined) q.where('target_key', key);
  return q;
}

/** Wait (bounded) until a condition holds: for effects that no event announces. */
export async function eventually(cond: () => boolean | Promise<boolean>, what: string, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A TCP proxy in front of the shared MySQL server: `down()` closes it and cuts every connection through
 * it (the database "goes away" for this server only), `up()` listens again on the same port.
 */
export class TcpProxy {
  private server?: NetServer;
  private readonly sockets = new Set<Socket>();
  port = 0;
  private constructor(private readonly target: { host: string; port: number }) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const p = new TcpProxy(target);
    await p.up();
    return p;
  }

  up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target);
      this.sockets.add(client).add(upstream);
      const drop = () => { client.destroy(); upstream.destroy(); this.sockets.delete(client); this.sockets.delete(upstream); };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        const addr = server.address();
        this.port = typeof addr === 'object' && addr ? addr.port : 0;
        resolve();
      });
    });
  }

  down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

/** Wait until no query of any plugin is running or waiting (before the database is taken away). */
export async function databaseIdle(server: TestServer): Promise<void> {
  const pool = (server.server.db.client as { pool?: { numUsed(): number; numPendingAcquires(): number; numPendingCreates(): number } }).pool;
  await eventually(() => !pool || (pool.numUsed() === 0 && pool.numPendingAcquires() === 0 && pool.numPendingCreates() === 0), 'the database to be idle');
}
