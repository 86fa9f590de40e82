import { Command } from 'commander';
import { VERSION } from '../server.js';
import { serveCommand } from './serve.js';
import { clientCommand } from './client.js';
import { migrateCommand } from './migrate.js';
import { userCommand } from './user.js';
import { importLegacyCommand } from './import-legacy.js';

const program = new Command('whiskr')
  .description('Whiskr: a plugin-based chat server with command bots and an IRC-style line protocol')
  .version(VERSION)
  .showHelpAfterError()
  .addCommand(serveCommand())
  .addCommand(clientCommand())
  .addCommand(migrateCommand())
  .addCommand(userCommand())
  .addCommand(importLegacyCommand());

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`whiskr: ${(err as Error).message}`);
  process.exit(1);
}
