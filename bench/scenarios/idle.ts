/** Idle: many logged-in connections that say nothing; server RSS per connection. */
import { closeAll, userName } from '../lib/connect.js';
import { runIdle, type IdleResult } from '../lib/idle.js';
import { human, round } from '../lib/stats.js';
import { ms } from '../lib/table.js';
import type { Client } from '../lib/client.js';
import { SETUP_SCRYPT_N, type Check, type PeerScenario, type ScenarioOptions } from './scenario.js';

export function idle({ quick, idleSettleMs }: ScenarioOptions): PeerScenario<IdleResult> {
  const o = quick
    ? { connections: 1_000, readAtMs: [250, 500], baselineMs: 500 }
    // Read 3 s, 20 s and 75 s after the logins; 75 s counts (V8's memory reducer ran 45-50 s after on MySQL).
    : { connections: 10_000, readAtMs: [3_000, 20_000, 75_000], baselineMs: 20_000 };
  // --idle-settle-ms: the readings before it, then one at it.
  const readAt = idleSettleMs !== undefined ? [...o.readAtMs.filter((t) => t < idleSettleMs), idleSettleMs] : o.readAtMs;
  return {
    name: 'idle',
    parameters: o,
    async run(kind, { withPeer, log }) {
      const names = Array.from({ length: o.connections }, (_, i) => userName('i', i));
      return withPeer(kind, { scryptN: SETUP_SCRYPT_N, accounts: names }, async (peer) => {
        let clients: Client[] = [];
        try {
          const r = await runIdle(peer, names, readAt, o.baselineMs);
          clients = r.clients;
          log(`  ${kind} idle ${o.connections}: ${round(r.result.rssPerConnectionKb)} KB/connection, login p99 ${round(r.result.login.p99)} ms`);
          if (r.result.snapshots) log(`  ${kind} heap snapshots: node --import tsx bench/heap.ts ${r.result.snapshots.join(' ')} ${o.connections}`);
          return r.result;
        } finally { closeAll(clients); }
      });
    },
    table: {
      title: `Idle: ${o.connections} logged-in connections`,
      rows: [
        { label: 'server RSS per connection, settled', cell: (r) => `${round(r.rssPerConnectionKb, 2)} KB (${round((r.settleMs ?? 0) / 1000, 1)} s after)` },
        { label: 'server RSS before → settled', cell: (r) => `${round(r.rssBeforeKb / 1024, 1)} → ${round(r.rssAfterKb / 1024, 1)} MB` },
        { label: 'server RSS per connection, each reading', cell: (r) => (r.readings ? r.readings.map((x) => `${round(x.perConnectionKb, 2)} KB (${round(x.afterMs / 1000, 1)} s)`).join(', ') : '—') },
        { label: 'connect+login p50 / p99', cell: (r) => `${ms(r.login.p50)} / ${ms(r.login.p99)}` },
        { label: 'connections+logins per second', cell: (r) => human(r.connectionsPerSec) },
      ],
    },
    budgets(w, results) {
      const i = results[w];
      if (!i) return [];
      const ri = results.raw;
      const out: Check[] = [{ budget: 'idle: ≤ 10 KB RSS per connection', peer: w, value: `${round(i.rssPerConnectionKb, 2)} KB at ${i.connections}`, pass: i.rssPerConnectionKb <= 10 }];
      if (ri) out.push({ budget: 'idle: ≤ 2.5× raw', peer: w, value: `×${round(i.rssPerConnectionKb / ri.rssPerConnectionKb)} (raw ${round(ri.rssPerConnectionKb, 2)} KB)`, pass: i.rssPerConnectionKb <= 2.5 * ri.rssPerConnectionKb });
      return out;
    },
  };
}
