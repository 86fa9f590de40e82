/**
 * `npm run bench` / `npm run bench:quick`: every scenario against every peer, back to back, in one run,
 * so that each figure can be read as a ratio to the peers measured on the same machine at the same time.
 *
 *   node --import tsx bench/run.ts [--quick] [--scenarios fanout,rooms,idle,storm,wave,history]
 *                                  [--peers raw,raw-perline,ngircd,inspircd,whiskr-sqlite,whiskr-mysql,whiskr-irc]
 *                                  [--profile <dir>]   (Whiskr runs under node --cpu-prof)
 *                                  [--whiskr-root <checkout>]   (run Whiskr from another checkout: A/B)
 *                                  [--heap-snapshot <dir>]   (idle: Whiskr heap snapshots before/after; see bench/heap.ts)
 *                                  [--wave-size <n>]   (wave: how many accounts reconnect; default 10,000, quick 1,000)
 *                                  [--idle-settle-ms <ms>]   (idle: when the last RSS reading is taken, ms after the logins)
 *                                  [--whiskr-options '{"auth":{"tokenTtlSeconds":0}}']   (plugin options for experiments)
 *                                  [--whiskr-plugins auth,channels]   (only these plugins)
 */
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { machine, saveRun } from './lib/output.js';
import { peerHost, type PeerRecord } from './lib/peer-host.js';
import { round } from './lib/stats.js';
import { renderTable } from './lib/table.js';
import { ALL_PEERS, PEER_LABELS, PEER_SCENARIOS, defaultWhiskrPlugins, killAll, type PeerKind } from './peers/servers.js';
import { fanout } from './scenarios/fanout.js';
import { history } from './scenarios/history.js';
import { idle } from './scenarios/idle.js';
import { rooms } from './scenarios/rooms.js';
import { ALL_SCENARIOS, SETUP_SCRYPT_N, type Check, type PeerScenario, type ScenarioName } from './scenarios/scenario.js';
import { storm } from './scenarios/storm.js';
import { wave } from './scenarios/wave.js';

function parseArgs(args: string[]) {
  const flag = (name: string) => args.includes(`--${name}`);
  const option = (name: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : undefined; };
  const o = {
    quick: flag('quick'),
    scenarios: (option('scenarios')?.split(',') ?? ALL_SCENARIOS) as ScenarioName[],
    peers: (option('peers')?.split(',') ?? ALL_PEERS) as PeerKind[],
    profileDir: option('profile'),
    whiskrRoot: option('whiskr-root') ?? process.env.WHISKR_BENCH_ROOT,
    heapDir: option('heap-snapshot'),
    idleSettleMs: option('idle-settle-ms') !== undefined ? Number(option('idle-settle-ms')) : undefined,
    waveSize: option('wave-size') !== undefined ? Number(option('wave-size')) : undefined,
    whiskrPlugins: option('whiskr-plugins')?.split(','),
    pluginOptions: option('whiskr-options') ? JSON.parse(option('whiskr-options')!) as Record<string, Record<string, unknown>> : undefined,
  };
  for (const s of o.scenarios) if (!ALL_SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s} (${ALL_SCENARIOS.join(', ')})`);
  for (const p of o.peers) if (!ALL_PEERS.includes(p)) throw new Error(`unknown peer ${p} (${ALL_PEERS.join(', ')})`);
  return o;
}

const log = (msg: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);

async function main(o: ReturnType<typeof parseArgs>): Promise<void> {
  const started = new Date();
  if (o.heapDir) mkdirSync(o.heapDir, { recursive: true });
  const options = { quick: o.quick, idleSettleMs: o.idleSettleMs, waveSize: o.waveSize };
  const perPeer: PeerScenario<unknown>[] = [fanout(options), rooms(options), idle(options), storm(options), wave(options)];
  const historyBench = history(options);
  const record: PeerRecord = { versions: {}, errors: [] };
  const host = peerHost({ profileDir: o.profileDir, heapDir: o.heapDir, whiskrRoot: o.whiskrRoot, pluginOptions: o.pluginOptions, plugins: o.whiskrPlugins }, log, record);
  const results: Record<string, Record<string, unknown>> = {};
  /** Load average (1 min) when each measurement started: other work on the machine shows here. */
  const loads: Record<string, number> = {};

  log(`Whiskr benchmark (${o.quick ? 'quick' : 'full'}): scenarios ${o.scenarios.join(', ')}; peers ${o.peers.join(', ')}; Whiskr plugins ${defaultWhiskrPlugins().join(', ')}`);
  for (const name of o.scenarios) {
    if (name === 'history') {
      log('history');
      const h = await historyBench.run(log);
      (results.history ??= {})[h.peer] = h.value;
      if (h.error) record.errors.push(h.error);
      continue;
    }
    const scenario = perPeer.find((s) => s.name === name)!;
    for (const kind of o.peers) {
      if (PEER_SCENARIOS[kind] && !PEER_SCENARIOS[kind]!.includes(name)) continue;
      loads[`${name}/${kind}`] = round(loadavg()[0]!, 2);
      log(`${name}: ${kind} (load average ${loads[`${name}/${kind}`]})`);
      const result = await scenario.run(kind, host);
      if (result !== undefined) (results[name] ??= {})[kind] = result;
    }
  }

  const budgets: Check[] = [];
  for (const w of ['whiskr-sqlite', 'whiskr-mysql'] as PeerKind[]) for (const s of perPeer) budgets.push(...(s.budgets?.(w, results[s.name] ?? {}) ?? []));
  budgets.push(...historyBench.budgets(results.history));
  let tables = '';
  for (const s of perPeer) {
    if (!results[s.name]) continue;
    const peers = o.peers.filter((p) => !PEER_SCENARIOS[p] || PEER_SCENARIOS[p]!.includes(s.name));
    tables += renderTable(s.table, peers.map((p) => ({ label: PEER_LABELS[p], result: results[s.name]![p] })));
  }
  tables += historyBench.report(results.history);

  const doc = {
    date: started.toISOString(), mode: o.quick ? 'quick' as const : 'full' as const, machine: machine(), versions: record.versions,
    parameters: Object.fromEntries(perPeer.map((s) => [s.name, s.parameters])), setupScryptN: SETUP_SCRYPT_N,
    results, loadAverages: loads, budgets, errors: record.errors,
  };
  // The committed reference results: only a complete run of every scenario against every peer, nothing changed.
  const reference = o.scenarios.length === ALL_SCENARIOS.length && o.peers.length === ALL_PEERS.length
    && !o.profileDir && !o.heapDir && !o.whiskrRoot && o.idleSettleMs === undefined && o.waveSize === undefined && !o.pluginOptions && !o.whiskrPlugins;
  saveRun(doc, tables, reference);
}

main(parseArgs(process.argv.slice(2))).then(() => { killAll(); process.exit(0); }, (err) => { console.error(err); killAll(); process.exit(1); });
