import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, TestCluster, eventually, mysqlAvailable, PASSWORD, type JsonEvent } from '../../core/testing/index.js';

const plugins = { auth: {}, channels: {}, history: { flushIntervalMs: 10 }, admin: {}, bots: {} };
const say = (c: TestClient, target: string, text: string) => c.ok(`/msg ${target} ${text}`, 'message', (e) => e.text === text);

describe.skipIf(!mysqlAvailable())('a node killed (SIGKILL) while people chat', () => {
  let c: TestCluster;
  beforeAll(async () => { c = await TestCluster.start(2, { plugins }); });
  afterAll(async () => { await c?.stop(); });

  it('its users go offline within seconds; a client reconnects to another node with its token and catches up with after=, no gap, no duplicate', async () => {
    const [a] = c.nodes;
    const proc = await c.spawn('c');
    await eventually(() => a!.server.cluster.nodes().includes('c'), 'node a to see node c');
    const ann = await a!.user('ann');
    await ann.ok('/join #ops', 'join', (e) => e.channel === '#ops');

    const bob = await TestClient.connect(proc.port);
    await bob.ok('/format json');
    const login = await bob.ok(`/register +token bob ${PASSWORD}`, 'login');
    expect(login.token).toBeTruthy();
    await eventually(() => a!.server.isOnline('bob'), 'node a to see bob online');
    await bob.ok('/join #ops', 'join', (e) => e.channel === '#ops');
    await ann.next((e) => e.type === 'join' && e.channel === '#ops' && e.user === 'bob');
    const last = await say(ann, '#ops', 'before the crash');
    await bob.next((e) => e.type === 'message' && e.id === last.id);
    await say(bob, '#ops', 'bob was here');
    await ann.next((e) => e.type === 'message' && e.text === 'bob was here');

    const killedAt = Date.now();
    proc.signal('SIGKILL');
    await proc.exited;
    const gap = [await say(ann, '#ops', 'while bob was away 1'), await say(ann, '#ops', 'while bob was away 2')];
    // Heartbeats stop: bob is offline to the others within a few seconds, and his channel mates are told.
    await ann.next((e) => e.type === 'presence' && e.user === 'bob' && e.status === 'offline', 8000);
    expect(Date.now() - killedAt).toBeLessThan(6000);
    expect(a!.server.isOnline('bob')).toBe(false);

    // The client tries the next node with its reconnect token, then asks for what it missed after the last id it saw.
    const back = await a!.json();
    await back.ok(`/resume bob ${login.token}`, 'login');
    await back.next((e) => e.type === 'history' && e.target === '#ops'); // the replay after the auto-join
    const page = await back.ok(`/history #ops after=${last.id}`, 'history', (e) => e.target === '#ops');
    const texts = page.messages.map((m: JsonEvent) => m.text);
    expect(texts).toEqual(['bob was here', ...gap.map((m) => m.text)]);
    expect(new Set(page.messages.map((m: JsonEvent) => m.id)).size).toBe(texts.length);
  });
});
