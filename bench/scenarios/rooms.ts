/** Many rooms: many channels of a few members, one sender each; latency at a fixed rate, then saturation. */
import { closeAll, connectAll, joinAll, userName } from '../lib/connect.js';
import { runRate, type RateResult } from '../lib/rate.js';
import { runSaturation, type SaturationResult } from '../lib/saturation.js';
import { human, round, type Quantiles } from '../lib/stats.js';
import { ms } from '../lib/table.js';
import { SETUP_SCRYPT_N, type PeerScenario, type ScenarioOptions } from './scenario.js';

export interface RoomsResult { connect: Quantiles; connectWallMs: number; rate: RateResult; saturation: SaturationResult }

export function rooms({ quick }: ScenarioOptions): PeerScenario<RoomsResult> {
  const o = quick
    ? { clients: 500, channels: 50, rate: 5, rateMs: 2_000, warmupMs: 500, window: 8, satMs: 2_000 }
    : { clients: 2_000, channels: 200, rate: 5, rateMs: 10_000, warmupMs: 1_000, window: 8, satMs: 5_000 };
  return {
    name: 'rooms',
    parameters: o,
    async run(kind, { withPeer, log }) {
      const names = Array.from({ length: o.clients }, (_, i) => userName('r', i));
      return withPeer(kind, { scryptN: SETUP_SCRYPT_N, accounts: names }, async (peer) => {
        const conn = await connectAll(peer, names);
        try {
          const channels = Array.from({ length: o.channels }, (_, k) => `#room${k}`);
          const members = await joinAll(peer, conn.clients, channels);
          const rate = await runRate(peer, members, channels, { sendersPerChannel: 1, rate: o.rate, durationMs: o.rateMs, warmupMs: o.warmupMs });
          log(`  ${kind} rooms ${o.channels}×1×${o.rate}/s: p99 ${round(rate.latency.p99)} ms, delivered ${round(rate.deliveredFraction * 100, 3)}%`);
          const saturation = await runSaturation(peer, members, channels, { sendersPerChannel: 1, window: o.window, durationMs: o.satMs, warmupMs: o.warmupMs });
          log(`  ${kind} rooms saturation: ${human(saturation.deliveriesPerSec)} deliveries/s, ${round(saturation.serverCpuPerDeliveryUs, 3)} µs CPU/delivery`);
          return { connect: conn.login, connectWallMs: conn.wallMs, rate, saturation };
        } finally { closeAll(conn.clients); }
      });
    },
    table: {
      title: `Many rooms: ${o.clients} clients in ${o.channels} channels, 1 sender per channel`,
      rows: [
        { label: `${o.channels} × ${o.rate} msg/s: p50 / p99 latency`, cell: ({ rate }) => `${ms(rate.latency.p50)} / ${ms(rate.latency.p99)}` },
        { label: 'delivered', cell: ({ rate }) => `${round(rate.deliveredFraction * 100, 3)}%` },
        { label: `saturation (window ${o.window}): deliveries/s`, cell: ({ saturation }) => human(saturation.deliveriesPerSec) },
        { label: 'saturation: server CPU per delivery', cell: ({ saturation }) => `${round(saturation.serverCpuPerDeliveryUs, 3)} µs` },
        { label: `connect+login of ${o.clients}: wall time`, cell: (r) => ms(r.connectWallMs) },
      ],
    },
  };
}
