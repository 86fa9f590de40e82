import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { loadConfig, type LoadedConfig } from '../core/config.js';
import { Server } from '../core/server.js';
import type { CliKit } from '../core/plugin-cli.js';
import { readPassword } from './password.js';

/** The shipped config file, used when --config and WHISKR_CONFIG are not given. */
export const DEFAULT_CONFIG = fileURLToPath(new URL('../config/whiskr.json', import.meta.url));

export type { CliOptions as CommonOptions } from '../core/plugin-cli.js';
import type { CliOptions as CommonOptions } from '../core/plugin-cli.js';

/** The flags every server-side command takes. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-c, --config <file>', 'config file (JSON)').env('WHISKR_CONFIG'))
    .option('-p, --port <n>', 'TCP port to listen on (default 6255)')
    .option('--host <address>', 'address to listen on (default 0.0.0.0)')
    .option('-d, --database <url>', 'sqlite:<path> or mysql://user:pass@host:port/db (also WHISKR_DATABASE_URL)');
}

export function configFrom(opts: CommonOptions): LoadedConfig {
  const file = opts.config ?? (existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : undefined);
  let port: number | undefined;
  if (opts.port !== undefined) {
    port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not ${opts.port}`);
  }
  return loadConfig(file, { port, host: opts.host, database: opts.database });
}

/** Boot a server without listening, run a task against its plugins, then shut it down. */
export async function withBootedServer<T>(opts: CommonOptions, task: (server: Server) => Promise<T>): Promise<T> {
  const loaded = configFrom(opts);
  loaded.config.log.level = process.env.WHISKR_LOG ?? 'warn';
  const server = new Server({ config: loaded });
  try {
    await server.boot();
    return await task(server);
  } finally {
    await server.shutdown();
  }
}

/** What plugins' and tools' commands get from the command line (see core/plugin-cli.ts). */
export const cliKit: CliKit = {
  command: (name) => withCommonOptions(new Command(name)),
  withServer: (opts, task) => withBootedServer(opts, task),
  readPassword,
};
