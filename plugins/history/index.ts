import { resolve } from 'node:path';
import { databaseKind, definePlugin, event, openDatabase, type Logger, type ServerEvent } from '../../core/index.js';
import { historyOptions } from './config.js';
import { isMysql, migrations } from './migrations.js';
import { HistoryStore } from './store.js';
import { WriteQueue } from './queue.js';
import { BatchWriter } from './writer.js';
import { Journal, defaultJournalFile } from './journal.js';
import { History } from './service.js';
import { commands, type HistoryCommands } from './commands/index.js';
import { renderHistory, renderSearch } from './render.js';
import './api.js';
import '../channels/api.js';

const describe = (err: unknown): string => (err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err)).split('\n')[0]!;

/** Write what a previous run journalled (ids already stored are skipped: a replay twice stores nothing twice), then remove it. */
async function replayJournal(journal: Journal, store: HistoryStore, log: Logger): Promise<void> {
  const { messages, skipped } = journal.read();
  if (skipped > 0) log.warn(`history journal ${journal.file}: ${skipped} unreadable line(s) skipped (a write cut short by a crash)`);
  for (let i = 0; i < messages.length; i += 5_000) await store.insert(messages.slice(i, i + 5_000));
  journal.clear();
  if (messages.length > 0) log.warn(`history: wrote the ${messages.length} message(s) journalled during a database outage before the last stop (${journal.file})`);
}

export default definePlugin({
  name: 'history',
  version: '1.0.0',
  description: 'stores every channel and direct message once (batched, off the hot path); /history, /search, replay, retention',
  optionalDependencies: ['channels', 'auth'],
  options: historyOptions,
  migrations,
  async setup(ctx) {
    const cfg = ctx.config;
    const log = ctx.log;
    const store = new HistoryStore(ctx.db);
    const tellAdmins = (text: string) => {
      const admins = ctx.sessions.onlineUsers().filter((u) => u.role === 'admin').map((u) => u.name);
      if (admins.length) ctx.delivery.toUsers(admins, event('notice', { from: 'server', text }) as ServerEvent);
    };
    let lastFailLog = 0;
    let lastDropLog = 0;
    let droppedSinceLog = 0;
    const url = ctx.database.url;
    const journalFile = cfg.journalFile === 'off' ? undefined : cfg.journalFile ? resolve(cfg.journalFile) : defaultJournalFile(ctx.db, url);
    const journal = journalFile ? new Journal(journalFile) : undefined;
    if (journal) await replayJournal(journal, store, log);
    // MySQL: the queue writes through its own connection, so a stalled write (it can wait) never holds
    // a connection that logins and /history need, and a starved pool never holds up the writes.
    const writeDb = isMysql(ctx.db) && databaseKind(url) === 'mysql'
      ? openDatabase(url, { poolMax: 1, queryTimeoutSeconds: ctx.database.queryTimeoutSeconds })
      : undefined;
    ctx.onDispose(() => writeDb?.destroy());
    const writer = new BatchWriter(writeDb ? new HistoryStore(writeDb) : store, ctx.db, { thread: cfg.writerThread, fullBatch: cfg.batchSize }, log);
    const queue = new WriteQueue({
      write: (batch) => writer.write(batch),
      failed(err, attempt, retryInMs) {
        const now = Date.now();
        if (attempt === 1 || now - lastFailLog >= 10_000) {
          lastFailLog = now;
          log.warn(`cannot write history (attempt ${attempt}, ${queue.depth} message(s) queued, retrying in ${retryInMs} ms): ${describe(err)}`);
        }
      },
      recovered(attempts) {
        log.warn(`history writes work again after ${attempts} failed attempt(s); ${queue.depth} message(s) still queued`);
      },
      dropped(inEpisode, first) {
        droppedSinceLog++;
        const now = Date.now();
        if (first || now - lastDropLog >= cfg.dropWarnSeconds * 1000) {
          lastDropLog = now;
          log.warn(`history queue full (${cfg.maxQueued} messages waiting for the database): ${droppedSinceLog} message(s) not stored${first ? '' : ' since the last warning'}, ${inEpisode} in this episode, ${queue.dropped} since start`);
          droppedSinceLog = 0;
        }
        if (first) tellAdmins(`History: the database is not keeping up and ${cfg.maxQueued} messages are waiting; new messages are NOT being stored until it catches up. See the server log.`);
      },
      episodeEnded(inEpisode) {
        log.warn(`history queue has room again; ${inEpisode} message(s) were not stored during the episode (${queue.dropped} since start)`);
        tellAdmins(`History is being stored again; ${inEpisode} message(s) were not stored while the queue was full.`);
      },
      journalled(count, first) {
        if (first) log.warn(`history: the database is not taking writes; journalling queued messages to ${journal!.file} until it does`);
        log.debug(`history: ${count} message(s) journalled`);
      },
      journalFailed(err) {
        log.error(`history: cannot write the journal ${journal!.file}; queued messages are only in memory: ${describe(err)}`);
      },
    }, cfg, journal);
    const history = new History(store, queue, cfg, ctx.clock, ctx.ids, (channel) => ctx.service('channels')?.lifeStart(channel));

    // Ids continue after the newest stored one, so they never go back after a restart (even if the clock did).
    ctx.ids.seed(await store.newestId());

    ctx.hook('message.sent', (message) => { queue.push(message); });
    ctx.hook('message.rescued', (messages) => { for (const m of messages) queue.push(m); });
    // A deleted channel's messages go (one still queued is written, but lies before the name's new life).
    ctx.hook('channel.deleted', async ({ channel, before }) => {
      const n = await history.forget(channel, before);
      if (n > 0) log.info(`removed the ${n} stored message(s) of ${channel}, deleted`);
    });
    ctx.every(1_000, () => history.purgeStragglers());
    // Set when a shutdown could not write the queue and journalled it: the unload after it need not wait again.
    let leftInJournal = false;
    const flushAll = async (why: string) => {
      const depth = queue.depth;
      if (depth === 0) return;
      if (leftInJournal) { queue.journalNow(); return; }
      const left = await queue.flush(cfg.shutdownFlushSeconds * 1000);
      if (left > 0 && journal) {
        queue.journalNow();
        leftInJournal = true;
        log.error(`${why}: ${left} queued message(s) could not be written within ${cfg.shutdownFlushSeconds} s; they are in ${journal.file} and will be written at the next start`);
      } else if (left > 0) log.error(`${why}: ${left} queued message(s) could not be written within ${cfg.shutdownFlushSeconds} s and are lost (${queue.dropped} dropped since start)`);
      else log.info(`${why}: wrote the ${depth} queued message(s)`);
    };
    ctx.hook('server.shutdown', () => flushAll('shutdown'));
    ctx.onDispose(async () => {
      queue.stop();
      await flushAll('unload');
      await writer.close();
      journal?.close();
    });

    ctx.provide('history', history);
    // The replay after a join: channels asks no plugin for it (history depends on channels, not the reverse).
    ctx.attach('channels', (channels) => channels.replayFrom((channel, count) => history.recent({ channel }, count)));
    const deps: HistoryCommands = { ctx, history };
    for (const make of commands) ctx.command(make(deps));
    ctx.render('history', renderHistory);
    ctx.render('search', renderSearch);

    if (cfg.retentionDays > 0) {
      const prune = async () => {
        const n = await history.prune();
        if (n > 0) log.info(`retention: removed ${n} message(s) older than ${cfg.retentionDays} day(s)`);
      };
      ctx.after(Math.min(5_000, cfg.retentionCheckSeconds * 1000), prune);
      ctx.every(cfg.retentionCheckSeconds * 1000, prune);
    }
  },
});
