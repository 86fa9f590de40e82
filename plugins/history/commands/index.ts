import type { PluginContext } from '../../../core/index.js';
import type { HistoryConfig } from '../config.js';
import type { History } from '../service.js';
import history from './history.js';
import search from './search.js';

/** What the history commands work with: the plugin's context (config, services, output bound) and the stored history. */
export interface HistoryCommands { ctx: PluginContext<HistoryConfig>; history: History }

/** Every command of the plugin. */
export const commands = [history, search];
