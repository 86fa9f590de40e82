import type { Command } from 'commander';
import type { Clock } from './clock.js';
import type { ServiceName, Services } from './plugin.js';

/** The flags every server-side command takes (--config, --port, --host, --database), as parsed. */
export interface CliOptions { config?: string; port?: string; host?: string; database?: string }

/** A server booted for a command-line task: its plugins loaded, nothing listening. */
export interface BootedServer {
  readonly clock: Clock;
  service<K extends ServiceName>(name: K): Services[K] | undefined;
}

/**
 * What the command line hands a plugin's (or a tool's) commands, so that they need not import it: the
 * command line composes the core and the plugins, not the other way round.
 */
export interface CliKit {
  /** A new command that takes the common flags (see CliOptions). */
  command(name: string): Command;
  /** Boot the configured plugins without listening, run the task, then shut the server down. */
  withServer<T>(opts: CliOptions, task: (server: BootedServer) => Promise<T>): Promise<T>;
  /** A new password: on a terminal asked twice without echo; piped, the first line of standard input. */
  readPassword(prompt: string): Promise<string>;
}

/**
 * A plugin's command-line commands: the default export of `cli.ts` in the plugin's folder. The command line
 * adds them for the shipped plugins and for every plugin the config file names.
 */
export type PluginCli = (kit: CliKit) => Command[];

export function definePluginCli(cli: PluginCli): PluginCli { return cli; }
