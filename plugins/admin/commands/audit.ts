import { WhiskrError, defineCommand, event, isoTime } from '../../../core/index.js';
import type { AdminCommands } from './index.js';

export default ({ ctx, store }: AdminCommands) => defineCommand({
  name: 'audit', usage: '/audit [count] [user]', summary: 'Show the latest admin actions (by or on a user)', access: 'admin',
  async run(command) {
    const { auditDefaultCount, auditMaxCount } = ctx.config;
    let count = auditDefaultCount;
    let i = 0;
    const first = command.args.get(0);
    if (first !== undefined && /^\d+$/.test(first)) {
      count = Number(first);
      if (count < 1 || count > auditMaxCount) throw new WhiskrError('BAD_ARGUMENTS', `The count is 1 to ${auditMaxCount}.`);
      i = 1;
    }
    const who = command.args.get(i);
    const rows = await store.recentAudit(count, who);
    return event('audit', {
      entries: rows.map((r) => ({ id: r.id, at: isoTime(r.at), by: r.by, address: r.address, action: r.action, target: r.target, text: r.text, detail: r.detail })),
    });
  },
});
