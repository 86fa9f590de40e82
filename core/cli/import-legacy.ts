import { Command } from 'commander';
import { openDatabase, databaseKind } from '../database.js';
import { withBootedServer, withCommonOptions, type CommonOptions } from './options.js';
import { formatReport, importLegacy } from '../../plugins/auth/legacy/importer.js';

/** `whiskr import-legacy --from mysql://…/serveur`: the original Whiskr's accounts, bans and history. */
export function importLegacyCommand(): Command {
  return withCommonOptions(new Command('import-legacy'))
    .description("import the original Whiskr's database (accounts, running bans, history into #general); running it again changes nothing")
    .requiredOption('--from <url>', 'the original database, e.g. mysql://user:pass@host:3306/serveur')
    .option('--channel <#name>', 'the channel the old history goes to', '#general')
    .action(async (opts: CommonOptions & { from: string; channel: string }) => {
      if (databaseKind(opts.from) !== 'mysql') throw new Error('--from must be a mysql:// url (the original Whiskr ran on MySQL)');
      const legacy = openDatabase(opts.from);
      try {
        await withBootedServer(opts, async (server) => {
          const report = await importLegacy(server, legacy, { channel: opts.channel });
          for (const line of formatReport(report)) console.log(line);
        });
      } finally {
        await legacy.destroy();
      }
    });
}
