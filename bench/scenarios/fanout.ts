/** Fan-out: many clients in one channel, many senders; latency at a fixed rate, then saturation. */
import { closeAll, connectAll, joinAll, userName } from '../lib/connect.js';
import { runRate, type RateResult } from '../lib/rate.js';
import { runSaturation, type SaturationResult } from '../lib/saturation.js';
import { human, round, type Quantiles } from '../lib/stats.js';
import { ms } from '../lib/table.js';
import { SETUP_SCRYPT_N, type Check, type PeerScenario, type ScenarioOptions } from './scenario.js';

export interface FanoutResult { connect: Quantiles; rate: RateResult; saturation: SaturationResult[]; best: SaturationResult }

export function fanout({ quick }: ScenarioOptions): PeerScenario<FanoutResult> {
  const o = quick
    ? { clients: 200, senders: 20, rate: 10, rateMs: 3_000, warmupMs: 500, windows: [64], satMs: 3_000 }
    : { clients: 200, senders: 20, rate: 10, rateMs: 10_000, warmupMs: 1_000, windows: [16, 64, 128], satMs: 5_000 };
  return {
    name: 'fanout',
    parameters: o,
    async run(kind, { withPeer, log }) {
      const names = Array.from({ length: o.clients }, (_, i) => userName('f', i));
      return withPeer(kind, { scryptN: SETUP_SCRYPT_N, accounts: names }, async (peer) => {
        const conn = await connectAll(peer, names);
        try {
          const channels = ['#fanout'];
          const members = await joinAll(peer, conn.clients, channels);
          const rate = await runRate(peer, members, channels, { sendersPerChannel: o.senders, rate: o.rate, durationMs: o.rateMs, warmupMs: o.warmupMs });
          log(`  ${kind} fan-out ${o.senders}×${o.rate}/s: p99 ${round(rate.latency.p99)} ms, delivered ${round(rate.deliveredFraction * 100, 3)}%`);
          const saturation: SaturationResult[] = [];
          for (const window of o.windows) {
            const s = await runSaturation(peer, members, channels, { sendersPerChannel: o.senders, window, durationMs: o.satMs, warmupMs: o.warmupMs });
            log(`  ${kind} saturation window ${window}: ${human(s.deliveriesPerSec)} deliveries/s, ${round(s.serverCpuPerDeliveryUs, 3)} µs CPU/delivery, generator ${round(s.genCpuPct)}% CPU`);
            saturation.push(s);
          }
          const best = saturation.reduce((a, b) => (b.deliveriesPerSec > a.deliveriesPerSec ? b : a));
          return { connect: conn.login, rate, saturation, best };
        } finally { closeAll(conn.clients); }
      });
    },
    table: {
      title: `Fan-out: ${o.clients} clients, 1 channel, ${o.senders} senders`,
      rows: [
        { label: `${o.senders} × ${o.rate} msg/s: p50 / p99 latency`, cell: ({ rate }) => `${ms(rate.latency.p50)} / ${ms(rate.latency.p99)}` },
        { label: `${o.senders} × ${o.rate} msg/s: delivered`, cell: ({ rate }) => `${round(rate.deliveredFraction * 100, 3)}%` },
        { label: 'saturation: deliveries/s (best window)', cell: ({ best }) => `${human(best.deliveriesPerSec)} (w=${best.window})` },
        { label: 'saturation: server CPU per delivery', cell: ({ best }) => `${round(best.serverCpuPerDeliveryUs, 3)} µs` },
        { label: 'saturation: server / generator CPU', cell: ({ best }) => `${round(best.serverCpuPct, 0)}% / ${round(best.genCpuPct, 0)}%` },
        { label: 'saturation: probe p99 latency', cell: ({ best }) => ms(best.probeLatency.p99) },
        { label: 'connect+login p50 / p99', cell: ({ connect }) => `${ms(connect.p50)} / ${ms(connect.p99)}` },
      ],
    },
    budgets(w, results) {
      const f = results[w];
      if (!f) return [];
      const { raw, inspircd: insp } = results;
      const out: Check[] = [];
      const add = (budget: string, value: string, pass: boolean) => out.push({ budget, peer: w, value, pass });
      if (insp) add('fan-out saturation ≥ InspIRCd', `${human(f.best.deliveriesPerSec)} vs ${human(insp.best.deliveriesPerSec)} (×${round(f.best.deliveriesPerSec / insp.best.deliveriesPerSec)})`, f.best.deliveriesPerSec >= insp.best.deliveriesPerSec);
      if (raw) add('fan-out saturation ≥ 0.7× raw coalesced', `×${round(f.best.deliveriesPerSec / raw.best.deliveriesPerSec)} of ${human(raw.best.deliveriesPerSec)}`, f.best.deliveriesPerSec >= 0.7 * raw.best.deliveriesPerSec);
      if (insp) add('CPU per delivery ≤ InspIRCd', `${round(f.best.serverCpuPerDeliveryUs, 3)} µs vs ${round(insp.best.serverCpuPerDeliveryUs, 3)} µs`, f.best.serverCpuPerDeliveryUs <= insp.best.serverCpuPerDeliveryUs);
      add('20 × 10 msg/s: everything delivered', `${round(f.rate.deliveredFraction * 100, 3)}%`, f.rate.deliveredFraction >= 1);
      add('20 × 10 msg/s: p99 ≤ 3 ms', ms(f.rate.latency.p99), f.rate.latency.p99 <= 3);
      if (raw) add('20 × 10 msg/s: p99 ≤ 3× raw', `×${round(f.rate.latency.p99 / raw.rate.latency.p99)} (raw ${ms(raw.rate.latency.p99)})`, f.rate.latency.p99 <= 3 * raw.rate.latency.p99);
      // The IRC listener is the same server on SQLite: its rendering may cost at most 1.2× the line protocol's.
      const irc = results['whiskr-irc'];
      if (w === 'whiskr-sqlite' && irc) {
        const ratio = irc.best.serverCpuPerDeliveryUs / f.best.serverCpuPerDeliveryUs;
        out.push({ budget: 'IRC listener CPU per delivery ≤ 1.2× the line protocol\'s', peer: 'whiskr-irc', value: `${round(irc.best.serverCpuPerDeliveryUs, 3)} µs vs ${round(f.best.serverCpuPerDeliveryUs, 3)} µs (×${round(ratio)})`, pass: ratio <= 1.2 });
      }
      return out;
    },
  };
}
