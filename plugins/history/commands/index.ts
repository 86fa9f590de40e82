import type { CommandSpec, PluginContext } from '../../../core/index.js';
import type { HistoryConfig } from '../config.js';
import type { History } from '../service.js';
import { historyCommand } from './history.js';
import { searchCommand } from './search.js';

/** Every command of the plugin, in one typed list. */
export function commands(ctx: PluginContext<HistoryConfig>, history: History): CommandSpec[] {
  return [historyCommand(ctx, history), searchCommand(ctx, history)];
}
