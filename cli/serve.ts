import { Command } from 'commander';
import { Server } from '../core/server.js';
import { ConfigError } from '../core/config.js';
import { DatabaseInUseError } from '../core/database.js';
import { configFrom, withCommonOptions, type CommonOptions } from './options.js';

export function serveCommand(): Command {
  return withCommonOptions(new Command('serve'))
    .description('start the chat server')
    .option('--no-console', 'do not take admin commands on standard input')
    .action(async (opts: CommonOptions & { console: boolean }) => {
      const loaded = configFrom(opts);
      const server = new Server({ config: loaded });
      const stop = (signal: string) => {
        server.log.info(`${signal} received`);
        void server.shutdown();
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGHUP', () => {
        server.rehash().then(
          (r) => server.log.info(`rehash: ${JSON.stringify(r)}`),
          (err) => server.log.error('rehash failed', err),
        );
      });
      let operator: { close(): void } | undefined;
      void server.whenStopped.then(() => {
        operator?.close(); // puts the terminal back as it was
        process.exit(0);
      });
      // Loaded before listening: once clients come, the descriptors it needs may all be taken.
      const { consoleWanted, startConsole } = await import('./console.js');
      try {
        await server.start();
      } catch (err) {
        // An operator's mistake (a bad setting, a database in use) is a sentence; anything else keeps its stack.
        if (err instanceof ConfigError || err instanceof DatabaseInUseError) server.log.error(`could not start: ${err.message}`);
        else server.log.error('could not start', err);
        await server.shutdown().catch(() => {});
        process.exit(1);
      }
      // The operator console: on a terminal unless --no-console; WHISKR_CONSOLE=1 forces it on (piped stdin), 0 off.
      if (consoleWanted(opts.console, process.stdin)) {
        operator = startConsole(server, { onInterrupt: () => stop('SIGINT') });
        server.log.info('operator console on standard input: /login <admin> to use the admin commands');
      }
    });
}
