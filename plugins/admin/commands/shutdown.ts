import { WhiskrError, defineCommand, event } from '../../../core/index.js';
import type { Admin } from '../admin.js';

export const shutdown = (a: Admin) => defineCommand({
  name: 'shutdown', aliases: ['kill'], usage: '/shutdown [seconds|cancel]',
  summary: 'Count down with notices (10 min, 5, 1, 30 s, 10…1), then stop the server (default 3 seconds)', access: 'admin',
  async run(c) {
    const arg = c.args.get(0);
    if (arg?.toLowerCase() === 'cancel') {
      if (!a.cancelShutdown()) throw new WhiskrError('BAD_ARGUMENTS', 'No shutdown is under way.');
      a.ctx.delivery.toAll(event('notice', { from: 'server', text: `The shutdown was cancelled by ${c.user.name}.` }));
      await a.audit(c, 'shutdown', null, '', 'cancelled');
      return event('ok', { command: 'shutdown', text: 'Shutdown cancelled.' });
    }
    let seconds = a.config.shutdownSeconds;
    if (arg !== undefined) {
      if (!/^\d{1,6}$/.test(arg)) throw new WhiskrError('BAD_ARGUMENTS', `Usage: /shutdown [seconds|cancel] (seconds: 0 to ${a.config.maxShutdownSeconds})`);
      seconds = Number(arg);
    }
    if (seconds > a.config.maxShutdownSeconds) throw new WhiskrError('BAD_ARGUMENTS', `At most ${a.config.maxShutdownSeconds} seconds.`);
    const pending = a.shutdownPending;
    if (pending) throw new WhiskrError('NOT_ALLOWED', `${pending.by} has already started a shutdown; /shutdown cancel stops it.`);
    await a.audit(c, 'shutdown', null, '', `in ${seconds}s`);
    // Reply first, so the ok comes before the countdown and the shutdown event.
    c.reply(event('ok', { command: 'shutdown', text: seconds === 0 ? 'Shutting down now.' : `Shutting down in ${seconds} second${seconds === 1 ? '' : 's'}.` }));
    a.startShutdown(seconds, c.user.name);
  },
});
