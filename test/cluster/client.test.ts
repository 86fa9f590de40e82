import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster, mysqlAvailable, type JsonEvent } from '../../core/testing/index.js';
import { ChatClient } from '../../clients/terminal/client.js';
import type { ChatModel } from '../../clients/terminal/model.js';
import { parseHost } from '../../cli/client.js';

const plugins = { auth: {}, channels: {}, history: { flushIntervalMs: 5 }, admin: {}, bots: {} };

function until(model: ChatModel, ready: () => boolean, what: string, timeout = 10_000): Promise<void> {
  if (ready()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`timed out waiting for ${what}`)); }, timeout);
    const off = model.onChange(() => { if (ready()) { clearTimeout(timer); off(); resolve(); } });
  });
}
const texts = (model: ChatModel, name: string) => model.get(name)?.entries.flatMap((e) => (e.kind === 'message' ? [e.text] : [])) ?? [];

describe.skipIf(!mysqlAvailable())('the terminal client with several --host', () => {
  let c: TestCluster;
  let client: ChatClient | undefined;
  beforeAll(async () => { c = await TestCluster.start(2, { plugins }); });
  afterAll(async () => { client?.close(); await c?.stop(); });

  it('skips a host that does not answer, and when its node goes, reconnects to the next and catches up: no gap, no duplicate', async () => {
    const [a, b] = c.nodes;
    const bob = await b!.user('bob');
    await bob.ok('/join #x', 'join', (e) => e.channel === '#x');
    client = new ChatClient({ host: '127.0.0.1', port: 1, backoff: [20], more: [{ host: '127.0.0.1', port: a!.port }, { host: '127.0.0.1', port: b!.port }] });
    expect(await client.login({ name: 'ann', password: 'correct horse battery', create: true })).toBeUndefined();
    expect(a!.server.sessionsOf('ann').size).toBe(1);
    await until(client.model, () => client!.model.get('#general') !== undefined, 'the auto-joined #general');
    await bob.ok('/msg #general hi ann', 'message');
    await until(client.model, () => texts(client!.model, '#general').includes('hi ann'), 'hi ann');

    await a!.stop({ keepDatabase: true });
    const during = await bob.ok('/msg #general while your node was down', 'message');
    await until(client.model, () => client!.model.connection.state === 'online' && texts(client!.model, '#general').includes('while your node was down'), 'the reconnect and catch-up', 15_000);
    expect(b!.server.sessionsOf('ann').size).toBe(1);
    await bob.ok('/msg #general welcome back', 'message');
    await until(client.model, () => texts(client!.model, '#general').includes('welcome back'), 'welcome back');
    const seen = texts(client.model, '#general');
    expect(seen.filter((t) => t === 'while your node was down')).toHaveLength(1);
    expect(seen.filter((t) => t === 'hi ann')).toHaveLength(1);
    expect((during as JsonEvent).id).toBeTruthy();
    c.nodes[0] = await c.startNode('a'); // for the cluster's own stop
  });

  it('reads --host as host, host:port or [v6]:port', () => {
    expect(parseHost('node1', 6255)).toEqual({ host: 'node1', port: 6255 });
    expect(parseHost('node2:7000', 6255)).toEqual({ host: 'node2', port: 7000 });
    expect(parseHost('[::1]:7001', 6255)).toEqual({ host: '::1', port: 7001 });
    expect(() => parseHost('node3:99999', 6255)).toThrow(/not a port number/);
  });
});
