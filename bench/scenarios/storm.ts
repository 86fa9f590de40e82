/** Login storm: many logins at once (real password hashing) while a channel chats; chat latency before vs during. */
import { closeAll, connectAll, joinAll, userName } from '../lib/connect.js';
import { runLoginStorm, type StormResult } from '../lib/login-storm.js';
import { round } from '../lib/stats.js';
import { ms } from '../lib/table.js';
import type { PeerScenario, ScenarioOptions } from './scenario.js';

export function storm({ quick }: ScenarioOptions): PeerScenario<StormResult> {
  const o = quick
    ? { members: 50, senders: 10, rate: 10, beforeMs: 2_000, warmupMs: 500, logins: 100, minStormMs: 1_000, repeats: 1 }
    // Three storms per server, the median reported: one storm's ratio is a single p99 over a few seconds.
    : { members: 50, senders: 10, rate: 10, beforeMs: 5_000, warmupMs: 1_000, logins: 100, minStormMs: 1_000, repeats: 3 };
  const ratios = (r: StormResult, lead: string) => (r.ratios && r.ratios.length > 1 ? ` (${lead}${r.ratios.map((x) => `×${x}`).join(', ')})` : '');
  return {
    name: 'storm',
    parameters: o,
    async run(kind, { withPeer, log }) {
      const names = Array.from({ length: o.members }, (_, i) => userName('m', i));
      const stormNames = Array.from({ length: o.logins * o.repeats }, (_, i) => userName('s', i));
      // Default scrypt cost here: the point is what real password hashing does to everyone else.
      return withPeer(kind, { scryptN: undefined, accounts: [...names, ...stormNames] }, async (peer) => {
        const conn = await connectAll(peer, names);
        const closers: (() => void)[] = [];
        try {
          const channels = ['#storm'];
          const members = await joinAll(peer, conn.clients, channels);
          const runs: StormResult[] = [];
          for (let k = 0; k < o.repeats; k++) {
            const batch = stormNames.slice(k * o.logins, (k + 1) * o.logins);
            const r = await runLoginStorm(peer, members, channels, batch, { sendersPerChannel: o.senders, rate: o.rate, beforeMs: o.beforeMs, warmupMs: o.warmupMs, minStormMs: o.minStormMs });
            closers.push(r.close);
            runs.push(r.result);
            log(`  ${kind} storm ${k + 1}/${o.repeats}: p99 before ${round(r.result.before.p99)} ms, during ${round(r.result.during.p99)} ms (×${round(r.result.p99Ratio)}), ${o.logins} logins in ${round(r.result.stormMs, 0)} ms`);
          }
          const median = [...runs].sort((a, b) => a.p99Ratio - b.p99Ratio)[Math.floor(runs.length / 2)]!;
          return { ...median, ratios: runs.map((r) => round(r.p99Ratio)) };
        } finally { closeAll(conn.clients); for (const close of closers) close(); }
      });
    },
    table: {
      title: `Login storm: ${o.logins} logins at once while ${o.senders} × ${o.rate} msg/s chat in a ${o.members}-member channel`,
      rows: [
        { label: 'chat p99 before → during', cell: (r) => `${ms(r.before.p99)} → ${ms(r.during.p99)}` },
        { label: 'ratio during / before (median of the storms; each)', cell: (r) => `×${round(r.p99Ratio)}${ratios(r, '')}` },
        { label: `${o.logins} logins: p50 / p99 / all done`, cell: (r) => `${ms(r.login.p50)} / ${ms(r.login.p99)} / ${ms(r.stormMs)}` },
        // Where fresh logins' limit lies: the whole server's CPU (hashing threads included) against its main thread's.
        {
          label: 'logins/s; server CPU in cores (main thread); logins per core-second',
          cell: (r) => r.serverCpuMs === undefined || Number.isNaN(r.serverCpuMs) ? '–'
            : `${round(r.logins / (r.loginsWallMs / 1000), 1)}/s; ${round(r.serverCpuMs / r.loginsWallMs, 2)} (${Math.round((r.mainThreadCpuMs / r.loginsWallMs) * 100)}%); ${round(r.logins / (r.serverCpuMs / 1000), 1)}`,
        },
      ],
    },
    budgets(w, results) {
      const st = results[w];
      if (!st) return [];
      return [{ budget: 'login storm: p99 during ≤ 2× before', peer: w, value: `×${round(st.p99Ratio)}${ratios(st, 'median of ')} (${ms(st.before.p99)} → ${ms(st.during.p99)})`, pass: st.p99Ratio <= 2 }];
    },
  };
}
