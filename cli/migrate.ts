import { Command } from 'commander';
import { withBootedServer, withCommonOptions, type CommonOptions } from './options.js';

export function migrateCommand(): Command {
  return withCommonOptions(new Command('migrate'))
    .description("run every configured plugin's database migrations, then exit")
    .action(async (opts: CommonOptions) => {
      await withBootedServer(opts, async (server) => {
        for (const p of server.plugins.list()) console.log(`${p.name.padEnd(12)} ${p.status}${p.error ? `: ${p.error}` : ''}`);
        if (server.plugins.list().some((p) => p.status === 'failed')) process.exitCode = 1;
      });
    });
}
