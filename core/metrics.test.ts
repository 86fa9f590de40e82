import { afterEach, describe, expect, it } from 'vitest';
import { TestServer, freePort, eventually } from './testing/index.js';

let server: TestServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

const scrape = async (port: number) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
const value = (text: string, name: string) => Number(new RegExp(`^${name}\\{node="[^"]*"\\} (\\S+)$`, 'm').exec(text)?.[1]);

describe('the metrics endpoint', () => {
  it('is off unless metrics.port is set', async () => {
    server = await TestServer.start({ plugins: {} });
    expect(server.server.metrics).toBeUndefined();
  });

  it('serves connections, logins, messages, deliveries and the history queue in the Prometheus text format', async () => {
    const port = await freePort();
    server = await TestServer.start({ plugins: { auth: {}, channels: {}, history: { flushIntervalMs: 5 } }, config: { metrics: { port } } });
    const before = await scrape(port);
    expect(before).toContain('# TYPE whiskr_messages_total counter');
    expect(value(before, 'whiskr_connections')).toBe(0);
    expect(value(before, 'whiskr_history_queue')).toBe(0);
    expect(before).not.toContain('whiskr_nats_up'); // one node: no cluster figures
    const ann = await server.user('ann');
    await server.user('bob');
    await ann.ok('/msg #general hello', 'message');
    await eventually(async () => value(await scrape(port), 'whiskr_messages_total') === 1, 'one message counted');
    const after = await scrape(port);
    expect(value(after, 'whiskr_connections')).toBe(2);
    expect(value(after, 'whiskr_logins_total')).toBe(2);
    expect(value(after, 'whiskr_deliveries_total')).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
  });
});
