import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { loadConfig, pluginLocation } from '../core/config.js';
import { DEFAULT_PLUGINS_DIR } from '../core/server.js';
import type { CliKit, PluginCli } from '../core/plugin-cli.js';
import { DEFAULT_CONFIG } from './options.js';

/**
 * The config file a command line names (--config, -c, WHISKR_CONFIG, or the shipped one), read before
 * commander parses it: the commands it offers depend on the plugins the file names.
 */
function configFileOf(argv: string[], env: NodeJS.ProcessEnv): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if ((a === '--config' || a === '-c') && i + 1 < argv.length) return argv[i + 1];
    if (a.startsWith('--config=')) return a.slice('--config='.length);
  }
  return env.WHISKR_CONFIG ?? (existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : undefined);
}

/**
 * Plugin folders whose `cli.ts` the command line offers: the shipped plugins (so `whiskr user` is there
 * whatever the config says, and says itself what is missing) and every plugin the config file names.
 * A config that cannot be read adds nothing here: the command that uses it says what is wrong.
 */
function pluginFolders(argv: string[], env: NodeJS.ProcessEnv): string[] {
  const folders = new Set<string>();
  for (const entry of readdirSync(DEFAULT_PLUGINS_DIR, { withFileTypes: true })) {
    if (entry.isDirectory()) folders.add(join(DEFAULT_PLUGINS_DIR, entry.name));
  }
  const file = configFileOf(argv, env);
  try {
    const { config, file: path } = loadConfig(file, {}, env);
    for (const key of Object.keys(config.plugins)) folders.add(pluginLocation(key, path, DEFAULT_PLUGINS_DIR));
  } catch {
    // Reported by the command itself, as when no plugin adds commands.
  }
  return [...folders];
}

/** The commands the plugins' `cli.ts` files provide, in the order of their folders. */
export async function pluginCommands(kit: CliKit, argv = process.argv, env = process.env): Promise<Command[]> {
  const out: Command[] = [];
  for (const folder of pluginFolders(argv, env)) {
    const file = ['cli.ts', 'cli.js'].map((f) => join(folder, f)).find((f) => existsSync(f));
    if (!file) continue;
    const mod = (await import(pathToFileURL(file).href)) as { default?: PluginCli };
    if (typeof mod.default !== 'function') throw new Error(`${file} does not export its commands (export default definePluginCli(…))`);
    out.push(...mod.default(kit));
  }
  return out;
}
