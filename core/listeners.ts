import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { readFileSync } from 'node:fs';
import { ConfigError, type ServerConfig } from './config.js';
import { isDescriptorShortage, type AcceptErrorLog } from './descriptors.js';
import type { Logger } from './logger.js';

/** The listening sockets: the plain one and, with server.tls, the TLS one; each hands its sockets to `accept`. */
export class Listeners {
  private readonly servers: NetServer[] = [];

  constructor(
    private readonly log: Logger,
    private readonly acceptErrors: AcceptErrorLog,
    private readonly accept: (socket: Socket) => void,
  ) {}

  /**
   * The TLS listener (server.tls): sessions on it are like plain ones once the handshake is done. Made
   * before anything is opened, so an unusable certificate stops the start first.
   */
  tls(settings: ServerConfig['server'], accept: (socket: Socket) => void = this.accept): NetServer {
    const tls = settings.tls;
    const read = (what: 'cert' | 'key'): Buffer => {
      try { return readFileSync(tls[what]); } catch (err) {
        throw new ConfigError(`server.tls.${what}: cannot read ${JSON.stringify(tls[what])}: ${(err as Error).message}`);
      }
    };
    const cert = read('cert');
    const key = read('key');
    // A handshake counts as anonymous time: bounded like a login (Node's own default is 120 s).
    const login = settings.loginTimeoutSeconds;
    const handshakeTimeout = Math.round(Math.min(login > 0 ? login : 120, 120) * 1000);
    let secure: NetServer;
    try {
      secure = createTlsServer({ cert, key, handshakeTimeout }, accept);
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

  plain(accept: (socket: Socket) => void = this.accept): NetServer { return createServer({ noDelay: true }, accept); }

  /** Stop one listener (a plugin's, unloaded) and forget it. */
  remove(server: NetServer): void {
    const i = this.servers.indexOf(server);
    if (i >= 0) this.servers.splice(i, 1);
    server.close();
  }

  /** The port a given listener is bound to (0 when it is not). */
  portOf(server: NetServer): number {
    const addr = server.address();
    return typeof addr === 'object' && addr ? addr.port : 0;
  }

  listen(server: NetServer, host: string, port: number): Promise<void> {
    return new Promise((resolvePromise, reject) => {
      server.once('error', reject);
      server.listen({ port, host, backlog: 4096 }, () => {
        server.off('error', reject);
        server.on('error', (err) => {
          // Out of file descriptors: the listener keeps accepting once some are freed; say so, but not per connection.
          if (isDescriptorShortage(err)) this.acceptErrors.report(this.log, `out of file descriptors (${(err as NodeJS.ErrnoException).code})`);
          else this.log.error('listener error', err);
        });
        this.servers.push(server);
        this.log.info(`listening on ${host}:${this.port(this.servers.length - 1)}`);
        resolvePromise();
      });
    });
  }

  /** The port a listener is bound to (0: the plain one, 1: TLS). */
  port(index = 0): number {
    const addr = this.servers[index]?.address();
    return typeof addr === 'object' && addr ? addr.port : 0;
  }

  /** Stop accepting. */
  stop(): void { for (const l of this.servers) l.close(); }

  /** Wait (at most 2 s each) for the listeners to be closed. */
  closed(): Promise<void> {
    return Promise.all(this.servers.map((l) => new Promise<void>((r) => { l.close(() => r()); setTimeout(r, 2000).unref(); }))).then(() => {});
  }
}
