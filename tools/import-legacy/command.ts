import { Command } from 'commander';
import { openDatabase, databaseKind, type CliKit, type CliOptions } from '../../core/index.js';
import { formatReport, importLegacy } from './importer.js';

/** `whiskr import-legacy --from mysql://…/serveur`: the original Whiskr's accounts, bans and history. */
export function importLegacyCommand({ command, withServer }: CliKit): Command {
  return command('import-legacy')
    .description("import the original Whiskr's database (accounts, running bans, history into #general); running it again changes nothing")
    .requiredOption('--from <url>', 'the original database, e.g. mysql://user:pass@host:3306/serveur')
    .option('--channel <#name>', 'the channel the old history goes to', '#general')
    .action(async (opts: CliOptions & { from: string; channel: string }) => {
      if (databaseKind(opts.from) !== 'mysql') throw new Error('--from must be a mysql:// url (the original Whiskr ran on MySQL)');
      const legacy = openDatabase(opts.from);
      try {
        await withServer(opts, async (server) => {
          const report = await importLegacy(server, legacy, { channel: opts.channel });
          for (const line of formatReport(report)) console.log(line);
        });
      } finally {
        await legacy.destroy();
      }
    });
}
