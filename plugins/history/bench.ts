/**
 * History micro-benchmark: write throughput through the real write queue and store, and /history page
 * latency (the service call /history makes) with a million stored messages, on SQLite and MySQL.
 *
 *   npx tsx plugins/history/bench.ts [--rows 1000000] [--writes 200000] [--pages 2000] [--db sqlite|mysql|both]
 *                                    [--seconds 240] [--json]
 *
 * MySQL: WHISKR_BENCH_MYSQL_URL or WHISKR_TEST_MYSQL_URL (default mysql://whiskr_test:whiskr_test@127.0.0.1:3306/);
 * a database whiskr_bench_<pid> is created and dropped. SQLite: a temporary file, removed afterwards.
 * Every loop is bounded by --seconds (the run stops early and says so).
 */
import { rmSync } from 'node:fs';
import { performance as perf } from 'node:perf_hooks';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { ConsoleSink, IdGenerator, Logger, migrate, openDatabase, type ChatMessage, type Knex } from '../../core/index.js';
import { migrations } from './migrations.js';
import { HistoryStore } from './store.js';
import { WriteQueue } from './queue.js';
import { BatchWriter } from './writer.js';
import { History } from './service.js';
import { historyDefaults } from './config.js';

interface Options { rows: number; writes: number; pages: number; db: string; seconds: number; json: boolean }

function parseArgs(argv: string[]): Options {
  const o: Options = { rows: 1_000_000, writes: 200_000, pages: 2_000, db: 'both', seconds: 240, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => { const v = argv[++i]; if (v === undefined) throw new Error(`${a} needs a value`); return v; };
    if (a === '--rows') o.rows = Number(value());
    else if (a === '--writes') o.writes = Number(value());
    else if (a === '--pages') o.pages = Number(value());
    else if (a === '--db') o.db = value();
    else if (a === '--seconds') o.seconds = Number(value());
    else if (a === '--json') o.json = true;
    else throw new Error(`unknown option ${a}`);
  }
  for (const k of ['rows', 'writes', 'pages', 'seconds'] as const) if (!(o[k] >= 0)) throw new Error(`--${k} must be a number`);
  return o;
}

const CHANNELS = 100;
const TEXT = 'The quick brown fox jumps over the lazy dog; the dog barks back at the fox, who runs off laughing!!';

/** Messages as the channels plugin emits them: 100-byte texts over 100 channels and some direct messages. */
function makeMessages(ids: IdGenerator, n: number, t0: number): ChatMessage[] {
  const out: ChatMessage[] = new Array(n);
  const ts = new Date(t0).toISOString();
  for (let i = 0; i < n; i++) {
    const id = ids.next();
    const from = `user${i % 997}`;
    out[i] = i % 10 === 9
      ? { id, from, to: `user${(i * 7) % 997}`, text: TEXT, ts, kind: 'message' }
      : { id, from, channel: `#room${i % CHANNELS}`, text: TEXT, ts, kind: 'message' };
  }
  return out;
}

const pct = (sorted: number[], p: number) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : NaN;
const tick = () => new Promise<void>((r) => setImmediate(r));

async function openBenchDb(kind: 'sqlite' | 'mysql'): Promise<{ db: Knex; label: string; drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const file = join(tmpdir(), `whiskr-history-bench-${process.pid}.sqlite`);
    const clean = () => { for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true }); };
    clean();
    const db = openDatabase(`sqlite:${file}`);
    return { db, label: `SQLite (file, WAL, synchronous=NORMAL)`, drop: async () => { await db.destroy(); clean(); } };
  }
  const base = process.env.WHISKR_BENCH_MYSQL_URL ?? process.env.WHISKR_TEST_MYSQL_URL ?? 'mysql://whiskr_test:whiskr_test@127.0.0.1:3306/';
  const name = `whiskr_bench_${process.pid}`;
  const admin = await createConnection({ uri: base, connectTimeout: 3000 });
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const [[version]] = await admin.query('SELECT VERSION() AS v') as unknown as [[{ v: string }]];
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = openDatabase(url.toString());
  return {
    db, label: `MySQL ${version.v}`,
    drop: async () => {
      await db.destroy();
      const c = await createConnection(base);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

interface Result {
  db: string; server: string;
  writes: { messages: number; seconds: number; perSecond: number; cpuSeconds: number; mainThreadBusy: number; threaded: boolean; batchSize: number; flushIntervalMs: number; complete: boolean };
  load: { rows: number; seconds: number; perSecond: number; complete: boolean };
  pages: {
    rows: number; count: number; limit: number; p50ms: number; p99ms: number; maxms: number; complete: boolean;
    /** p99 of each kind of page: the newest of a channel, before an id, after an id, a conversation. */
    p99ByKind: Record<string, number>;
    /** MySQL: pages InnoDB read from disk during the page test, its buffer pool and the table's size. */
    innodb?: { diskReads: number; bufferPoolMb: number; tableMb: number };
  };
}

/** InnoDB's count of pages read from disk (not found in the buffer pool). */
async function innodbDiskReads(db: Knex): Promise<number> {
  const [rows] = await db.raw(`SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_reads'`) as [{ Value: string }[]];
  return Number(rows[0]?.Value ?? NaN);
}

async function run(kind: 'sqlite' | 'mysql', o: Options, deadline: number): Promise<Result> {
  const { db, label, drop } = await openBenchDb(kind);
  try {
    await migrate(db, 'history', migrations);
    const store = new HistoryStore(db);
    const config = { ...historyDefaults };
    const log = new Logger(new ConsoleSink(), 'warn');
    const writer = new BatchWriter(store, db, { thread: config.writerThread, fullBatch: config.batchSize }, log);
    // Under sustained load the plugin moves SQLite writes to its writer thread; start it before timing.
    await writer.startThread();
    const queue = new WriteQueue({ write: (b) => writer.write(b) }, config);
    const ids = new IdGenerator();
    const t0 = Date.now();

    // 1. Write throughput through the queue (default settings), pushing as fast as the queue accepts without dropping.
    let batch = makeMessages(ids, o.writes, t0);
    const start = performance.now();
    const cpu0 = process.cpuUsage();
    const elu0 = perf.eventLoopUtilization();
    let pushed = 0;
    while (pushed < batch.length && Date.now() < deadline) {
      const room = Math.min(batch.length - pushed, config.maxQueued - queue.depth, 5_000);
      for (let i = 0; i < room; i++) queue.push(batch[pushed++]!);
      // A full queue: wait for the writer rather than spin (the event loop's busy share stays meaningful).
      if (room === 0) await new Promise((r) => setTimeout(r, 1)); else await tick();
    }
    const left = await queue.flush(Math.max(0, deadline - Date.now()));
    queue.stop();
    const writeSeconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const elu = perf.eventLoopUtilization(elu0);
    const threaded = writer.threaded;
    await writer.close();
    const writeCpuSeconds = (cpu.user + cpu.system) / 1e6;
    const written = pushed - left;
    if (queue.dropped) throw new Error(`the queue dropped ${queue.dropped} messages`);
    batch = [];

    // 2. Bulk load up to --rows stored messages (straight into the store, large transactions).
    // The secondary index is dropped for the load and built again afterwards (a sort is faster than a million inserts).
    const loadStart = performance.now();
    let stored = await store.count();
    const before = stored;
    // (MySQL keeps rows by (target_key, id) with a unique index on id; SQLite by id with an index on (target_key, id).)
    const index = kind === 'mysql' ? { name: 'history_id', columns: ['id'], unique: true } : { name: 'history_target_id', columns: ['target_key', 'id'], unique: false };
    if (stored < o.rows) {
      await db.schema.alterTable('history_messages', (t) => { t.dropIndex([], index.name); });
      while (stored < o.rows && Date.now() < deadline) {
        const n = Math.min(20_000, o.rows - stored);
        await store.insert(makeMessages(ids, n, t0));
        stored += n;
      }
      await db.schema.alterTable('history_messages', (t) => {
        if (index.unique) t.unique(index.columns, { indexName: index.name }); else t.index(index.columns, index.name);
      });
    }
    const loadSeconds = (performance.now() - loadStart) / 1000;
    if (kind === 'sqlite') await db.raw('ANALYZE'); else await db.raw('ANALYZE TABLE history_messages');

    // 3. /history pages: the newest 50 of a channel, 50 before a random id, 50 after a random id, 50 of a DM.
    const history = new History(store, queue, config, { now: () => Date.now() }, ids);
    const sample: string[] = (await db('history_messages').select('id').where('target_key', '#room7').orderBy('id', 'asc').limit(5_000)).map((r: { id: string }) => r.id);
    const times: number[] = [];
    const KINDS = ['newest', 'before', 'after', 'conversation'];
    const byKind: number[][] = KINDS.map(() => []);
    const reads0 = kind === 'mysql' ? await innodbDiskReads(db) : 0;
    let rnd = 12345;
    const random = (n: number) => { rnd = (rnd * 1103515245 + 12345) & 0x7fffffff; return rnd % n; };
    const limit = config.defaultCount;
    // A warm-up of 200 pages (not counted), as a running server's caches would be.
    for (let i = -200; i < o.pages && Date.now() < deadline; i++) {
      const channel = `#room${random(CHANNELS)}`;
      const id = sample[random(sample.length)];
      const t = performance.now();
      switch (i % 4) {
        case 0: await history.page({ channel }, { limit }); break;
        case 1: await history.page({ channel: '#room7' }, { limit, before: id }); break;
        case 2: await history.page({ channel: '#room7' }, { limit, after: id }); break;
        default: await history.page({ between: [`user${random(997)}`, `user${random(997)}`] }, { limit });
      }
      if (i >= 0) { times.push(performance.now() - t); byKind[((i % 4) + 4) % 4]!.push(performance.now() - t); }
    }
    times.sort((a, b) => a - b);
    let innodb: Result['pages']['innodb'];
    if (kind === 'mysql') {
      const diskReads = (await innodbDiskReads(db)) - reads0;
      const [[pool]] = await db.raw('SELECT @@innodb_buffer_pool_size AS b') as [{ b: number }[]];
      const [[size]] = await db.raw(`SELECT data_length + index_length AS b FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'history_messages'`) as [{ b: number }[]];
      innodb = { diskReads, bufferPoolMb: Math.round(Number(pool?.b) / 1048576), tableMb: Math.round(Number(size?.b) / 1048576) };
    }
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    return {
      db: kind, server: label,
      writes: { messages: written, seconds: r3(writeSeconds), perSecond: Math.round(written / writeSeconds), batchSize: config.batchSize, flushIntervalMs: config.flushIntervalMs, cpuSeconds: r3(writeCpuSeconds), mainThreadBusy: r3(elu.utilization), threaded, complete: written === o.writes },
      load: { rows: stored, seconds: r3(loadSeconds), perSecond: Math.round((stored - before) / Math.max(loadSeconds, 1e-9)), complete: stored >= o.rows },
      pages: {
        rows: stored, count: times.length, limit, p50ms: r3(pct(times, 0.5)), p99ms: r3(pct(times, 0.99)), maxms: r3(times[times.length - 1] ?? NaN), complete: times.length === o.pages,
        p99ByKind: Object.fromEntries(KINDS.map((k, i) => [k, r3(pct(byKind[i]!.sort((a, b) => a - b), 0.99))])), innodb,
      },
    };
  } finally {
    await drop();
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const deadline = Date.now() + o.seconds * 1000;
  const kinds: ('sqlite' | 'mysql')[] = o.db === 'both' ? ['sqlite', 'mysql'] : o.db === 'sqlite' || o.db === 'mysql' ? [o.db] : [];
  if (kinds.length === 0) throw new Error(`--db must be sqlite, mysql or both, not ${o.db}`);
  const results: Result[] = [];
  const skipped: { db: string; reason: string }[] = [];
  for (const kind of kinds) {
    if (!o.json) process.stderr.write(`history bench: ${kind}…\n`);
    try { results.push(await run(kind, o, deadline)); } catch (err) {
      if (kind === 'mysql' && o.db === 'both') skipped.push({ db: kind, reason: (err as Error).message });
      else throw err;
    }
  }
  const budgets = { sqliteWritesPerSecond: 50_000, mysqlWritesPerSecond: 20_000, pageP99ms: 5 };
  const verdict = results.map((r) => ({
    db: r.db,
    writes: r.writes.perSecond >= (r.db === 'sqlite' ? budgets.sqliteWritesPerSecond : budgets.mysqlWritesPerSecond),
    pages: r.pages.p99ms <= budgets.pageP99ms && r.pages.rows >= 1_000_000,
  }));
  const json = { bench: 'history', date: new Date().toISOString(), machine: { cpus: cpus().length, loadavg: loadavg() }, options: o, budgets, results, verdict, skipped };
  if (!o.json) {
    const rows = [['', ...results.map((r) => r.server)],
      ['write throughput, msg/s (queue → store)', ...results.map((r) => `${r.writes.perSecond.toLocaleString('en')} (${r.writes.messages.toLocaleString('en')} in ${r.writes.seconds}s)`)],
      ['  event loop busy during the writes', ...results.map((r) => `${Math.round(r.writes.mainThreadBusy * 100)}%${r.writes.threaded ? ' (SQLite writer thread)' : ''}`)],
      ['bulk load, rows/s', ...results.map((r) => r.load.perSecond.toLocaleString('en'))],
      ['stored rows for the page test', ...results.map((r) => r.pages.rows.toLocaleString('en'))],
      [`/history page of ${historyDefaults.defaultCount}: p50 / p99 / max ms`, ...results.map((r) => `${r.pages.p50ms} / ${r.pages.p99ms} / ${r.pages.maxms} (${r.pages.count} pages)`)],
      ['  p99 by page: newest / before / after / conversation', ...results.map((r) => Object.values(r.pages.p99ByKind).join(' / '))],
      ['  InnoDB pages read from disk meanwhile (buffer pool, table)', ...results.map((r) => r.pages.innodb ? `${r.pages.innodb.diskReads} (${r.pages.innodb.bufferPoolMb} MB, ${r.pages.innodb.tableMb} MB)` : '—')],
      ['budgets met (writes, pages)', ...verdict.map((v) => `${v.writes ? 'yes' : 'NO'}, ${v.pages ? 'yes' : 'NO'}`)]];
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
    for (const r of rows) console.log(r.map((cell, c) => (cell ?? '').padEnd(widths[c]!)).join(' | '));
    console.log(`(${cpus().length} cpus, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; the bench process's CPU time for the writes: ${results.map((r) => `${r.db} ${r.writes.cpuSeconds}s`).join(', ')})`);
    for (const s of skipped) console.log(`(${s.db} skipped: ${s.reason})`);
  }
  console.log(JSON.stringify(json));
}

main().catch((err) => { console.error(`history bench failed: ${(err as Error).stack ?? err}`); process.exit(1); });
