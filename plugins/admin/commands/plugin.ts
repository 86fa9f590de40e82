import { PluginError, WhiskrError, defineCommand, event, type Host } from '../../../core/index.js';
import { recordAudit } from './common.js';
import type { AdminCommands } from './index.js';

const USAGE = '/plugin load|unload|reload <name>';

/** Only plugin names (folders under plugins/) or keys the config file names, never an arbitrary path. */
function checkName(host: Host, name: string): void {
  if (/^[A-Za-z0-9_-]{1,64}$/.test(name)) return;
  if (name in host.configuredPlugins || host.plugins.list().some((p) => p.key === name)) return;
  throw new WhiskrError('BAD_ARGUMENTS', `${name} is not a plugin name; a plugin elsewhere must be named in the config file first.`);
}

export default (deps: AdminCommands) => defineCommand({
  name: 'plugin', usage: USAGE, summary: 'Load, unload or reload a plugin; on failure the running version stays', access: 'admin', minArgs: 2,
  async run(command) {
    const op = command.args.get(0)!.toLowerCase();
    const name = command.args.get(1)!;
    if (op !== 'load' && op !== 'unload' && op !== 'reload') throw new WhiskrError('BAD_ARGUMENTS', `Usage: ${USAGE}`);
    checkName(deps.ctx.host, name);
    const host = deps.ctx.host.plugins;
    let text: string;
    try {
      if (op === 'unload') {
        if ((host.list().find((p) => p.key === name)?.name ?? name) === deps.ctx.name) {
          throw new PluginError(`${deps.ctx.name} cannot unload itself (it holds /plugin); remove it from the config and /rehash, or restart`);
        }
        await host.unload(name);
        text = `Unloaded ${name}.`;
      } else if (op === 'reload') {
        const r = await host.reload(name);
        text = `Reloaded ${r.name} ${r.version}.`;
      } else {
        const record = host.list().find((p) => p.key === name || p.name === name);
        if (record?.status === 'loaded') throw new PluginError(`${record.name} is already loaded (/plugin reload ${name} loads it again)`);
        const r = await host.load(name, deps.ctx.host.configuredPlugins[name]);
        text = `Loaded ${r.name} ${r.version}.`;
      }
    } catch (err) {
      if (!(err instanceof PluginError)) throw err;
      await recordAudit(deps, command, 'plugin', name, '', `${op}: failed: ${err.message}`);
      throw new WhiskrError('PLUGIN_FAILED', err.message);
    }
    await recordAudit(deps, command, 'plugin', name, '', op);
    return event('ok', { command: 'plugin', text });
  },
});
