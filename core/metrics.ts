import { createServer, type Server as HttpServer } from 'node:http';
import type { Logger } from './logger.js';

/** What the metrics endpoint reads, each time it is scraped. */
export interface MetricsSource {
  node: string;
  connections(): number;
  usersOnline(): number;
  logins(): number;
  messages(): number;
  deliveries(): number;
  /** Messages waiting for the history writer (null without the history plugin). */
  historyQueue(): number | null;
  /** 1 connected, 0 NATS lost, null without a cluster. */
  natsUp(): number | null;
  bus(): { published: number; publishedBytes: number; received: number; receivedBytes: number } | null;
}

/**
 * An opt-in HTTP endpoint (metrics.port) with the node's figures in the Prometheus text format, at
 * /metrics. Counters are totals since start: Prometheus derives the rates (`rate(whiskr_messages_total[1m])`).
 */
export class MetricsEndpoint {
  private http?: HttpServer;

  constructor(private readonly source: MetricsSource, private readonly log: Logger) {}

  text(): string {
    const s = this.source;
    const label = `{node="${s.node.replace(/["\\\n]/g, '_')}"}`;
    const out: string[] = [];
    const metric = (name: string, type: 'gauge' | 'counter', help: string, value: number | null) => {
      if (value === null) return;
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name}${label} ${value}`);
    };
    metric('whiskr_connections', 'gauge', 'Open connections.', s.connections());
    metric('whiskr_users_online', 'gauge', 'Users logged in on this node.', s.usersOnline());
    metric('whiskr_logins_total', 'counter', 'Logins since start.', s.logins());
    metric('whiskr_messages_total', 'counter', 'Chat messages sent from this node since start.', s.messages());
    metric('whiskr_deliveries_total', 'counter', 'Events written to sessions since start.', s.deliveries());
    metric('whiskr_history_queue', 'gauge', 'Messages waiting to be written to history.', s.historyQueue());
    metric('whiskr_nats_up', 'gauge', '1 while the cluster node has NATS, 0 while it is lost (degraded).', s.natsUp());
    const bus = s.bus();
    if (bus) {
      metric('whiskr_bus_published_total', 'counter', 'NATS messages this node published.', bus.published);
      metric('whiskr_bus_published_bytes_total', 'counter', 'Bytes of NATS messages this node published.', bus.publishedBytes);
      metric('whiskr_bus_received_total', 'counter', 'NATS messages this node received.', bus.received);
      metric('whiskr_bus_received_bytes_total', 'counter', 'Bytes of NATS messages this node received.', bus.receivedBytes);
    }
    return out.join('\n') + '\n';
  }

  async listen(host: string, port: number): Promise<number> {
    const http = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
        return;
      }
      try {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(this.text());
      } catch (err) {
        this.log.error('metrics', err);
        res.writeHead(500).end();
      }
    });
    this.http = http;
    await new Promise<void>((resolve, reject) => { http.once('error', reject); http.listen(port, host, () => { http.off('error', reject); resolve(); }); });
    const addr = http.address();
    const bound = typeof addr === 'object' && addr ? addr.port : port;
    this.log.info(`metrics on http://${host}:${bound}/metrics`);
    return bound;
  }

  port(): number {
    const addr = this.http?.address();
    return typeof addr === 'object' && addr ? addr.port : 0;
  }

  async close(): Promise<void> {
    const http = this.http;
    if (!http) return;
    this.http = undefined;
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }
}
