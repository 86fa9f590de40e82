import { connect, createServer, type Server as NetServer, type Socket } from 'node:net';

/** A raw TCP socket to the server (for clients that misbehave: never read, half lines, raw bytes). */
export function rawSocket(port: number, host = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Resolves when the socket is closed by either side (error included). */
export function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
    socket.on('error', () => {});
  });
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
