import { ConfigError, WhiskrError, defineCommand, event, type RehashResult } from '../../../core/index.js';
import { recordAudit } from './common.js';
import type { AdminCommands } from './index.js';

/** What a rehash changed, in one sentence. */
export function describeRehash(r: RehashResult): string {
  const parts: string[] = [];
  if (r.loaded.length) parts.push(`loaded ${r.loaded.join(', ')}`);
  if (r.unloaded.length) parts.push(`unloaded ${r.unloaded.join(', ')}`);
  if (r.reloaded.length) parts.push(`reloaded ${r.reloaded.join(', ')} (options changed)`);
  if (r.failed.length) parts.push(`failed: ${r.failed.join('; ')}`);
  if (r.needsRestart.length) parts.push(`needs a restart to change: ${r.needsRestart.join(', ')}`);
  return `Config re-read: ${parts.length ? parts.join('; ') : 'no plugin changed'}.`;
}

export default (deps: AdminCommands) => defineCommand({
  name: 'rehash', usage: '/rehash', summary: 'Re-read the config file; load and unload plugins to match it', access: 'admin',
  async run(command) {
    let result: RehashResult;
    try {
      result = await deps.ctx.host.rehash();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      await recordAudit(deps, command, 'rehash', null, '', `refused: ${err.message}`);
      throw new WhiskrError('PLUGIN_FAILED', `The config was not changed: ${err.message}`);
    }
    const text = describeRehash(result);
    await recordAudit(deps, command, 'rehash', null, '', text);
    if (result.failed.length) throw new WhiskrError('PLUGIN_FAILED', text);
    return event('ok', { command: 'rehash', text });
  },
});
