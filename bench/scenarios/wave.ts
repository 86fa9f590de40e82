/**
 * Reconnect wave (issue 18): N accounts, all members of #general (the shipped auto-join), each logged in
 * once with `/login +token`, then all disconnected; then all reconnect at once with `/resume` while a
 * 50-member channel chats. IRC peers: N clients register and JOIN #general at once.
 */
import { pool } from '../lib/client.js';
import { closeAll, connectAll, joinAll, userName } from '../lib/connect.js';
import { human, round } from '../lib/stats.js';
import { ms } from '../lib/table.js';
import { WAVE_CHANNEL } from '../lib/wave-names.js';
import { runWave, type WaveResult } from '../lib/wave.js';
import { SETUP_SCRYPT_N, type PeerScenario, type ScenarioOptions } from './scenario.js';

/** Messages said in #general before the wave, so that each login's replay carries some. */
const SEEDED = 50;

export function wave({ quick, waveSize }: ScenarioOptions): PeerScenario<WaveResult> {
  const o = {
    ...(quick
      ? { clients: 1_000, beforeMs: 2_000, warmupMs: 500 }
      : { clients: 10_000, beforeMs: 5_000, warmupMs: 1_000 }),
    members: 50, senders: 10, rate: 10, minWaveMs: 1_000, seeded: SEEDED,
  };
  if (waveSize !== undefined) o.clients = waveSize;
  return {
    name: 'wave',
    parameters: o,
    async run(kind, { withPeer, log }) {
      if (kind === 'raw' || kind === 'raw-perline') { log(`  ${kind}: no logins or channels to reconnect to; skipped`); return undefined; }
      const whiskr = kind === 'whiskr-sqlite' || kind === 'whiskr-mysql';
      const names = Array.from({ length: o.members }, (_, i) => userName('wm', i));
      const waveNames = whiskr ? Array.from({ length: o.clients }, (_, i) => userName('w', i)) : [];
      // The shipped auto-join (the bench's other scenarios turn it off); accounts hashed cheaply: setup.
      const setup = { scryptN: SETUP_SCRYPT_N, accounts: [...names, ...waveNames], pluginOptions: { channels: { autoJoin: [WAVE_CHANNEL] } } };
      return withPeer(kind, setup, async (peer) => {
        const conn = await connectAll(peer, names);
        let close = () => {};
        try {
          const channels = ['#active'];
          const members = await joinAll(peer, conn.clients, channels);
          // IRC: the chatting members are in the big channel too, as Whiskr's are by the auto-join.
          if (!whiskr) await pool(conn.clients, 8, (c) => peer.proto.join(c, WAVE_CHANNEL));
          else {
            const seeder = conn.clients[0]!;
            for (let i = 0; i < o.seeded; i++) seeder.write(`/msg ${WAVE_CHANNEL} before the wave, line ${i}\n`);
            await peer.proto.sync(seeder, 'seeded');
          }
          const r = await runWave(peer, members, channels, 'w', o.clients, { sendersPerChannel: o.senders, rate: o.rate, beforeMs: o.beforeMs, warmupMs: o.warmupMs, minWaveMs: o.minWaveMs, log });
          close = r.close;
          const x = r.result;
          log(`  ${kind} wave ${o.clients}: all caught up in ${round(x.wallMs, 0)} ms (${round(x.loginsPerSec, 1)}/s), server CPU ${round(x.serverCpuPerLoginMs, 3)} ms per login, chat p99 ${round(x.before.p99)} → ${round(x.during.p99)} ms (×${round(x.p99Ratio)})`);
          log(`  ${kind} wave window for a profile: bench/profile.ts <file> --window ${x.monotonicUs[0]}:${x.monotonicUs[1]}`);
          return x;
        } finally { closeAll(conn.clients); close(); }
      });
    },
    table: {
      title: `Reconnect wave: ${o.clients} members of ${WAVE_CHANNEL} back at once (Whiskr: /resume with a token; IRC: register + JOIN) while ${o.senders} × ${o.rate} msg/s chat in a ${o.members}-member channel`,
      rows: [
        { label: 'all logged in, joined and caught up', cell: (r) => ms(r.wallMs) },
        { label: 'logins (IRC: joins) per second', cell: (r) => human(r.loginsPerSec) },
        { label: 'per client: logged in p50 / p99; caught up p50 / p99', cell: (r) => `${ms(r.loggedIn.p50)} / ${ms(r.loggedIn.p99)}; ${ms(r.caughtUp.p50)} / ${ms(r.caughtUp.p99)}` },
        { label: 'server CPU per login (all; without the chat\'s share)', cell: (r) => `${round(r.serverCpuPerLoginMs, 3)} ms; ${round(r.serverCpuPerLoginNetMs, 3)} ms` },
        { label: 'server / generator CPU over the wave (wave clients)', cell: (r) => `${Math.round(r.serverCpuShare * 100)}% / ${Math.round(r.genCpuShare * 100)}% (${Math.round(r.waveChildCpuShare * 100)}%)` },
        { label: 'chat p99 before → during (ratio)', cell: (r) => `${ms(r.before.p99)} → ${ms(r.during.p99)} (×${round(r.p99Ratio)})` },
        { label: 'bytes received per wave client (its own replies: login, join, history)', cell: (r) => `${human(r.bytesPerLogin)} (${human(r.ownReplyBytesPerLogin)})` },
        { label: 'chat delivered', cell: (r) => `${round(r.deliveredFraction * 100, 1)}%` },
      ],
    },
    budgets(w, results) {
      const r = results[w];
      if (!r) return [];
      return [
        { budget: `wave: ${r.clients} caught up within 15 s`, peer: w, value: ms(r.wallMs), pass: r.clients >= 10_000 ? r.wallMs <= 15_000 : undefined },
        { budget: 'wave: server CPU ≤ 1 ms per login', peer: w, value: `${round(r.serverCpuPerLoginMs, 3)} ms`, pass: r.serverCpuPerLoginMs <= 1 },
        { budget: 'wave: chat p99 during ≤ 2× before', peer: w, value: `×${round(r.p99Ratio)} (${ms(r.before.p99)} → ${ms(r.during.p99)})`, pass: r.p99Ratio <= 2 },
      ];
    },
  };
}
