import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster, mysqlAvailable, type JsonEvent, type TestClient } from '../../core/testing/index.js';

const plugins = { auth: {}, channels: { bigChannel: 3, noticeWindowSeconds: 1, noticeNames: 20 }, history: { flushIntervalMs: 10 }, admin: {}, bots: {} };
const crowdIn = (channel: string) => (e: JsonEvent) => e.type === 'crowd' && e.channel === channel;

describe.skipIf(!mysqlAvailable())('crowd notices in a cluster', () => {
  let c: TestCluster;
  beforeAll(async () => { c = await TestCluster.start(3, { plugins }); });
  afterAll(async () => { await c?.stop(); });

  it("a big channel's joins on every node come as one crowd event per window for the cluster, not one per node", async () => {
    // #general, which everyone joins at login, is big (bigChannel 3) with its bots alone.
    const watchers: TestClient[] = [];
    for (let i = 0; i < 3; i++) watchers.push(await c.nodes[i]!.user(`watch${i}`));
    for (const w of watchers) await w.next((e) => crowdIn('#general')(e) && e.joinedNames.includes('watch2'));
    // From here on, only the burst.
    const marks = watchers.map((w) => w.events.length);
    const joiners = await Promise.all(Array.from({ length: 9 }, (_, i) => c.nodes[i % 3]!.user(`burst${i}`)));

    const seen: JsonEvent[][] = [];
    for (const [i, w] of watchers.entries()) {
      const crowds = () => w.events.slice(marks[i]).filter(crowdIn('#general'));
      await w.until(() => (crowds().reduce((n, e) => n + e.joined, 0) >= 9 ? true : undefined), `watch${i} to be told of the 9 joins`);
      seen.push(crowds());
    }
    for (const crowds of seen) {
      // The nine joins took well under a window: one crowd event, or two when they straddle a window's end (one per node: three).
      expect(crowds.length).toBeLessThanOrEqual(2);
      expect(crowds.flatMap((e) => e.joinedNames).sort()).toEqual(joiners.map((_, i) => `burst${i}`).sort());
    }
    // Every node tells its watchers the same.
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
  });
});
