// The `whiskr` command: composes the core, the plugins' command-line commands, the tools and the client.
import { Command } from 'commander';
import { VERSION } from '../core/server.js';
import { serveCommand } from './serve.js';
import { clientCommand } from './client.js';
import { migrateCommand } from './migrate.js';
import { cliKit } from './options.js';
import { pluginCommands } from './plugins.js';
import { importLegacyCommand } from '../tools/import-legacy/command.js';

try {
  const program = new Command('whiskr')
    .description('Whiskr: a plugin-based chat server with command bots and an IRC-style line protocol')
    .version(VERSION)
    .showHelpAfterError()
    .addCommand(serveCommand())
    .addCommand(clientCommand())
    .addCommand(migrateCommand());
  for (const command of await pluginCommands(cliKit)) program.addCommand(command);
  program.addCommand(importLegacyCommand(cliKit));
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`whiskr: ${(err as Error).message}`);
  process.exit(1);
}
