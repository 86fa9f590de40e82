/** History: plugins/history/bench.ts (write queue → store; /history pages), run once as its own process. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { human } from '../lib/stats.js';
import { renderTable, type Table } from '../lib/table.js';
import { ROOT } from '../peers/servers.js';
import type { Check, Log, ScenarioOptions } from './scenario.js';

/** What plugins/history/bench.ts --json prints (the fields used here). */
interface HistoryBench {
  results?: HistoryDb[];
  skipped?: { db: string; reason: string }[];
}
interface HistoryDb { db: string; server?: string; writes: { perSecond: number; messages: number; seconds: number }; load?: { perSecond: number }; pages: { rows: number; count: number; p50ms: number; p99ms: number; maxms: number; p99ByKind?: Record<string, number>; innodb?: { diskReads: number; bufferPoolMb: number; tableMb: number } } }

/** What the run keeps: results.history[peer] = value. */
export interface HistoryOutcome { peer: string; value: unknown; error?: string }

const table: Table<HistoryDb> = {
  title: 'History (plugins/history/bench.ts: write queue → store; /history pages)',
  rows: [
    { label: 'writes/s (batched)', cell: (r) => `${human(r.writes.perSecond)} (${r.writes.messages} in ${r.writes.seconds} s)` },
    { label: '/history page p50 / p99 / max', cell: (r) => `${r.pages.p50ms} / ${r.pages.p99ms} / ${r.pages.maxms} ms` },
    { label: 'page p99 by kind: newest / before / after / conversation', cell: (r) => (r.pages.p99ByKind ? Object.values(r.pages.p99ByKind).join(' / ') + ' ms' : '—') },
    { label: 'InnoDB pages read from disk during the page test (buffer pool; table)', cell: (r) => (r.pages.innodb ? `${r.pages.innodb.diskReads} (${r.pages.innodb.bufferPoolMb} MB; ${r.pages.innodb.tableMb} MB)` : '—') },
    { label: 'rows stored', cell: (r) => r.pages.rows.toLocaleString('en') },
  ],
};

/** The per-database figures in this run's results.history, if the bench printed any. */
const figures = (byPeer: Record<string, unknown> | undefined) => (byPeer?.whiskr as { result?: HistoryBench } | undefined)?.result?.results ?? [];

export function history({ quick }: ScenarioOptions) {
  return {
    name: 'history' as const,
    async run(log: Log): Promise<HistoryOutcome> {
      const script = join(ROOT, 'plugins/history/bench.ts');
      if (!existsSync(script)) {
        log('history: plugins/history/bench.ts is not there yet, skipped');
        return { peer: 'whiskr-sqlite', value: { skipped: 'plugins/history/bench.ts missing' } };
      }
      const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script, '--json', ...(quick ? ['--rows', '100000', '--writes', '50000', '--pages', '500', '--seconds', '120'] : ['--seconds', '900'])], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => { stdout += d; process.stderr.write(d); });
        child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d).slice(-20_000); process.stderr.write(d); });
        const timer = setTimeout(() => { if (child.pid) process.kill(child.pid, 'SIGKILL'); }, quick ? 300_000 : 1_800_000);
        child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
      });
      // It may print a JSON object (alone on a line, or as the whole output): keep it as is.
      let parsed: unknown;
      for (const candidate of [out.stdout.trim(), ...out.stdout.split('\n').reverse()]) {
        try { parsed = JSON.parse(candidate); break; } catch { /* not JSON */ }
      }
      for (const x of (parsed as HistoryBench | undefined)?.results ?? []) log(`  history ${x.db}: ${human(x.writes.perSecond)} writes/s; page p99 ${x.pages.p99ms} ms at ${x.pages.rows} rows`);
      return {
        peer: 'whiskr',
        value: { exitCode: out.code, result: parsed, output: parsed ? undefined : out.stdout.slice(-10_000) },
        error: out.code !== 0 ? `history bench exited ${out.code}: ${out.stderr.slice(-2000)}` : undefined,
      };
    },
    /** One column per database. */
    report(byPeer: Record<string, unknown> | undefined): string {
      const dbs = figures(byPeer);
      return dbs.length ? renderTable(table, dbs.map((r) => ({ label: r.db, result: r }))) : '';
    },
    budgets(byPeer: Record<string, unknown> | undefined): Check[] {
      return figures(byPeer).flatMap((r) => {
        const min = r.db === 'sqlite' ? 50_000 : 20_000;
        return [
          { budget: `history: ≥ ${human(min)} writes/s`, peer: `history-${r.db}`, value: `${human(r.writes.perSecond)}/s`, pass: r.writes.perSecond >= min },
          { budget: 'history: page p99 ≤ 5 ms at 1,000,000 rows', peer: `history-${r.db}`, value: `${r.pages.p99ms} ms at ${r.pages.rows.toLocaleString('en')} rows`, pass: r.pages.rows >= 1_000_000 ? r.pages.p99ms <= 5 : undefined },
        ];
      });
    },
  };
}
