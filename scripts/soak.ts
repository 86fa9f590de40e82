/**
 * The soak: thousands of connections logging in, chatting and leaving for minutes against a real server
 * (loopback only), with the server's memory, sessions, handles and event-loop delay sampled, plugins
 * reloaded under load, and a verdict once the load has ended: no leaked sessions, users, handles or timers,
 * and the heap back near where it started.
 *
 *   npm run soak -- [--users 3000] [--concurrency 1000] [--minutes 3] [--reloads 12] [--lines 10-30] [--db sqlite|mysql://…]
 *
 * Each connection logs in, joins a room, sends `--lines` lines 1–3 s apart, and leaves; about 20 logins a
 * second at the defaults, which a 2-core machine sustains (see test/security/README.md for the capacity).
 *
 * The server runs in this process (so its heap can be measured after a forced GC); the load runs in a
 * child process (the same file with --load), so the clients' memory is not counted. Exit code 0 on a pass.
 */
import { register } from 'node:module';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { median } from '../core/testing/measure.js';

interface Options { users: number; concurrency: number; minutes: number; reloads: number; db: string; prefix: string; lines: [number, number] }

function options(argv: string[]): Options {
  const o: Options = { users: 3000, concurrency: 1000, minutes: 3, reloads: 12, db: 'sqlite', prefix: 'soak', lines: [10, 30] };
  for (let i = 0; i < argv.length; i++) {
    const [k, v] = [argv[i]!.replace(/^--/, ''), argv[i + 1]];
    if (k in o && v !== undefined) {
      const value = k === 'db' || k === 'prefix' ? v : k === 'lines' ? v.split('-').map(Number) : Number(v);
      (o as unknown as Record<string, unknown>)[k] = value;
      i++;
    }
  }
  return o;
}

const PW = 'soak password 1';
const ROOMS = 20;

// ── The load (child process) ────────────────────────────────────────────────────────────────────────────

interface LoadReport { sessions: number; logins: number; messages: number; received: number; errors: Record<string, number>; failed: number; loginMs: { p50: number; p99: number; max: number } }

async function load(port: number, o: Options): Promise<void> {
  const report: LoadReport = { sessions: 0, logins: 0, messages: 0, received: 0, errors: {}, failed: 0, loginMs: { p50: 0, p99: 0, max: 0 } };
  const loginTimes: number[] = [];
  const percentiles = () => {
    const xs = [...loginTimes].sort((a, b) => a - b);
    const at = (q: number) => Math.round(xs[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? 0);
    report.loginMs = { p50: at(0.5), p99: at(0.99), max: Math.round(xs.at(-1) ?? 0) };
  };
  const deadline = Date.now() + o.minutes * 60_000;
  const registered = new Set<number>();
  let next = 0;
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** One visit: connect, log in (registering the first time), chat a while in a room, leave. */
  const visit = (n: number) => new Promise<void>((resolve) => {
    const name = `${o.prefix}${n}`;
    const s = connect({ port, host: '127.0.0.1' });
    let buf = '';
    let waiting: ((e: Record<string, unknown>) => boolean) | undefined;
    let wake: (() => void) | undefined;
    const until = (pred: (e: Record<string, unknown>) => boolean) => new Promise<void>((r) => { waiting = pred; wake = r; });
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (!line.startsWith('{')) continue;
        const e = JSON.parse(line) as Record<string, unknown>;
        if (e.type === 'message') report.received++;
        if (e.type === 'error') report.errors[String(e.code)] = (report.errors[String(e.code)] ?? 0) + 1;
        if (waiting?.(e)) { waiting = undefined; wake!(); }
      }
    });
    const done = () => { s.destroy(); resolve(); };
    s.on('error', () => { report.failed++; done(); });
    s.on('close', () => { wake?.(); resolve(); });
    s.on('connect', async () => {
      try {
        report.sessions++;
        s.write('/format json\n');
        const verb = registered.has(n) ? 'login' : 'register';
        const asked = performance.now();
        s.write(`/${verb} ${name} ${PW}\n`);
        let ok = false;
        await until((e) => { if (e.type === 'login') ok = true; return e.type === 'login' || (e.type === 'error' && e.command === verb); });
        if (!ok) { s.write('/quit\n'); return; }
        registered.add(n);
        report.logins++;
        loginTimes.push(performance.now() - asked);
        s.write(`/join #room-${Math.floor(Math.random() * ROOMS)}\n`);
        const lines = o.lines[0] + Math.floor(Math.random() * (o.lines[1] - o.lines[0] + 1));
        for (let i = 0; i < lines && !s.destroyed; i++) {
          await sleep(1000 + Math.random() * 2000);
          const what = Math.random();
          if (what < 0.8) { s.write(`soak message ${i} from ${name}\n`); report.messages++; }
          else if (what < 0.9) s.write(`/history #room-${Math.floor(Math.random() * ROOMS)} 20\n`);
          else s.write(pick(['/who\n', '/ping x\n', '/channels\n', '/whoami\n']));
        }
        s.write('/quit bye\n');
      } catch { done(); }
    });
  });

  const workers = Array.from({ length: o.concurrency }, async () => {
    while (Date.now() < deadline) await visit(next++ % o.users);
  });
  const progress = setInterval(() => { percentiles(); process.stdout.write(JSON.stringify(report) + '\n'); }, 5000);
  await Promise.all(workers);
  clearInterval(progress);
  percentiles();
  process.stdout.write(JSON.stringify(report) + '\n');
}

// ── The server and the measurements (this process) ────────────────────────────────────────────────────

interface Sample { t: number; phase: string; rssMB: number; heapMB: number; externalMB: number; sessions: number; online: number; handles: number; loopP99ms: number; historyQueue: number }

async function main(o: Options): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) { console.error('run with --expose-gc (npm run soak does)'); return 2; }
  // As bin/whiskr.js does: plugin reloads import fresh copies of a plugin's files.
  register('../core/reload-hooks.mjs', import.meta.url);
  const { Server, mergeChecked, serverDefaults } = await import('../core/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'whiskr-soak-'));
  const url = o.db === 'sqlite' ? `sqlite:${join(dir, 'soak.sqlite')}` : o.db;
  const plugins = { auth: { scryptN: 1024 }, history: {}, channels: {}, admin: {}, bots: {} };
  const config = mergeChecked(serverDefaults, {
    server: { host: '127.0.0.1', port: 0, loginTimeoutSeconds: 30 },
    log: { level: 'warn' },
    database: { url },
    plugins,
  }, '', ['plugins']);
  const counts = { warn: 0, error: 0 };
  const server = new Server({ config: { config }, logSink: { write: (r) => { counts[r.level as 'warn' | 'error']++; if (r.level === 'error' || counts.warn < 20) console.error(`[${r.level}] ${r.scope}: ${r.message.slice(0, 300)}`); } } });
  await server.start();
  const port = server.port();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const t0 = Date.now();
  const samples: Sample[] = [];
  const settle = async () => { for (let i = 0; i < 4; i++) { gc(); await new Promise((r) => setTimeout(r, 100)); } };
  const sample = (phase: string): Sample => {
    const m = process.memoryUsage();
    const s: Sample = {
      t: Math.round((Date.now() - t0) / 1000), phase,
      rssMB: +(m.rss / 2 ** 20).toFixed(1), heapMB: +(m.heapUsed / 2 ** 20).toFixed(1), externalMB: +((m.external + m.arrayBuffers) / 2 ** 20).toFixed(1),
      sessions: server.sessions.size, online: server.onlineUsers().length,
      handles: process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length,
      loopP99ms: +(loop.percentile(99) / 1e6).toFixed(1),
      historyQueue: server.service('history')?.queueDepth() ?? 0,
    };
    loop.reset();
    samples.push(s);
    console.log(`${String(s.t).padStart(4)}s ${phase.padEnd(8)} rss ${s.rssMB} MB, heap ${s.heapMB} MB, ext ${s.externalMB} MB, sessions ${s.sessions}, online ${s.online}, handles ${s.handles}, loop p99 ${s.loopP99ms} ms, history queue ${s.historyQueue}`);
    return s;
  };

  const runLoad = (opts: Options) => new Promise<LoadReport>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--load', String(port),
      '--users', String(opts.users), '--concurrency', String(opts.concurrency), '--minutes', String(opts.minutes), '--prefix', opts.prefix, '--lines', opts.lines.join('-')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let last = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => { last = d.trim().split('\n').at(-1) ?? last; });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(last) as LoadReport) : reject(new Error(`load exited ${code}`))));
  });
  const waitIdle = async () => {
    const until = Date.now() + 60_000;
    while (server.sessions.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    await server.service('history')?.flush();
  };

  console.log(`soak: ${o.users} users, ${o.concurrency} at once, ${o.minutes} min, ${o.reloads} plugin reloads under load, database ${o.db}, server on 127.0.0.1:${port}`);
  // Warm-up: the same load, short, so that the baseline has its JIT code, caches and pools.
  await runLoad({ ...o, users: Math.min(o.users, 300), concurrency: Math.min(o.concurrency, 300), minutes: 0.25, prefix: 'warm' });
  await waitIdle();
  await settle();
  const baseline = sample('baseline');

  const sampler = setInterval(() => sample('load'), 10_000);
  const reloadable = ['channels', 'history', 'bots', 'admin'];
  let reloads = 0;
  let reloadFailures = 0;
  const reloader = setInterval(() => {
    if (reloads >= o.reloads) return;
    const name = reloadable[reloads++ % reloadable.length]!;
    server.plugins.reload(name).catch((err: Error) => { reloadFailures++; console.error(`reload ${name} failed: ${err.message}`); });
  }, (o.minutes * 60_000) / (o.reloads + 1));
  const peak = { sessions: 0 };
  const peakWatch = setInterval(() => { peak.sessions = Math.max(peak.sessions, server.sessions.size); }, 250);
  const report = await runLoad(o);
  clearInterval(sampler);
  clearInterval(reloader);
  clearInterval(peakWatch);
  await waitIdle();
  await settle();
  // Timers that end on their own (a history flush, a closing socket) may still be running: give them a moment.
  for (let i = 0; i < 50 && process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length > baseline.handles; i++) await new Promise((r) => setTimeout(r, 200));
  const after = sample('after');
  if (after.handles > baseline.handles) console.log(`handles left: ${process.getActiveResourcesInfo().join(', ')}`);

  // Reloads alone, no load: what each costs (Node keeps every imported copy of a module).
  const extra = 8;
  for (let i = 0; i < extra; i++) await server.plugins.reload(reloadable[i % reloadable.length]!);
  await settle();
  const afterReloads = sample('reloads');

  await server.shutdown();
  rmSync(dir, { recursive: true, force: true });

  const heapGrowth = after.heapMB - baseline.heapMB;
  const perReload = (afterReloads.heapMB - after.heapMB) / extra;
  const checks: [string, boolean][] = [
    ['no session left', after.sessions === 0],
    ['no user left online', after.online === 0],
    ['handles back to the baseline (no leaked sockets or timers)', after.handles <= baseline.handles],
    [`heap after the load within 10% + 1 MB per reload of the baseline (grew ${heapGrowth.toFixed(1)} MB)`, heapGrowth <= baseline.heapMB * 0.1 + reloads * 1 + 2],
    ['no error logged', counts.error === 0],
    ['every reload under load succeeded', reloadFailures === 0],
    ['no message dropped by history', (server.service('history')?.dropped() ?? 0) === 0],
  ];
  const loadSamples = samples.filter((s) => s.phase === 'load');
  console.log('\n## Last soak\n');
  console.log(`- ${new Date().toISOString().slice(0, 16)}Z, ${o.minutes} min, database ${o.db === 'sqlite' ? 'SQLite' : 'MySQL'}, Node ${process.version}`);
  console.log(`- load: ${report.sessions} connections (${o.concurrency} at once, ${peak.sessions} peak sessions), ${report.logins} logins of ${o.users} users, ${report.messages} messages sent, ${report.received} delivered, connection failures ${report.failed}, error replies ${JSON.stringify(report.errors)}`);
  console.log(`- login (or register) round trip: p50 ${report.loginMs.p50} ms, p99 ${report.loginMs.p99} ms, max ${report.loginMs.max} ms`);
  console.log(`- ${reloads} plugin reloads under load (${reloadFailures} failed), then ${extra} more idle: ${perReload.toFixed(2)} MB of heap each`);
  console.log(`- event loop p99 under load: median ${median(loadSamples.map((s) => s.loopP99ms))} ms, worst ${Math.max(0, ...loadSamples.map((s) => s.loopP99ms))} ms; warnings logged ${counts.warn}, errors ${counts.error}`);
  console.log('\n| phase | rss MB | heap MB | ext MB | sessions | online | handles |\n|---|---|---|---|---|---|---|');
  const peakLoad = loadSamples.reduce((a, b) => (b.heapMB > a.heapMB ? b : a), loadSamples[0] ?? baseline);
  for (const [label, s] of [['baseline (after warm-up)', baseline], ['peak under load', peakLoad], ['after the load', after], [`after ${extra} more reloads`, afterReloads]] as const) {
    console.log(`| ${label} | ${s.rssMB} | ${s.heapMB} | ${s.externalMB} | ${s.sessions} | ${s.online} | ${s.handles} |`);
  }
  console.log('');
  for (const [what, ok] of checks) console.log(`${ok ? 'PASS' : 'FAIL'} ${what}`);
  return checks.every(([, ok]) => ok) ? 0 : 1;
}

const argv = process.argv.slice(2);
if (argv[0] === '--load') {
  await load(Number(argv[1]), options(argv.slice(2)));
  process.exit(0);
} else {
  process.exit(await main(options(argv)));
}
