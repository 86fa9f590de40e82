import { WhiskrError, defineCommand, event, plural } from '../../../core/index.js';
import { recordAudit } from './common.js';
import type { AdminCommands } from './index.js';

export default (deps: AdminCommands) => defineCommand({
  name: 'shutdown', aliases: ['kill'], usage: '/shutdown [seconds|cancel]',
  summary: 'Count down with notices (10 min, 5, 1, 30 s, 10…1), then stop the server (default 3 seconds)', access: 'admin',
  async run(command) {
    const { ctx: { config, delivery }, countdown } = deps;
    const arg = command.args.get(0);
    if (arg?.toLowerCase() === 'cancel') {
      if (!countdown.cancel()) throw new WhiskrError('BAD_ARGUMENTS', 'No shutdown is under way.');
      delivery.toAll(event('notice', { from: 'server', text: `The shutdown was cancelled by ${command.user.name}.` }));
      await recordAudit(deps, command, 'shutdown', null, '', 'cancelled');
      return event('ok', { command: 'shutdown', text: 'Shutdown cancelled.' });
    }
    let seconds = config.shutdownSeconds;
    if (arg !== undefined) {
      if (!/^\d{1,6}$/.test(arg)) throw new WhiskrError('BAD_ARGUMENTS', `Usage: /shutdown [seconds|cancel] (seconds: 0 to ${config.maxShutdownSeconds})`);
      seconds = Number(arg);
    }
    if (seconds > config.maxShutdownSeconds) throw new WhiskrError('BAD_ARGUMENTS', `At most ${config.maxShutdownSeconds} seconds.`);
    const pending = countdown.pending;
    if (pending) throw new WhiskrError('NOT_ALLOWED', `${pending.by} has already started a shutdown; /shutdown cancel stops it.`);
    await recordAudit(deps, command, 'shutdown', null, '', `in ${seconds}s`);
    // Reply first, so the ok comes before the countdown and the shutdown event.
    command.reply(event('ok', { command: 'shutdown', text: seconds === 0 ? 'Shutting down now.' : `Shutting down in ${plural(seconds, 'second')}.` }));
    countdown.start(seconds, command.user.name);
  },
});
