import { WhiskrError, defineCommand, event, isoTime } from '../../../core/index.js';
import type { Admin } from '../admin.js';

export const audit = (a: Admin) => defineCommand({
  name: 'audit', usage: '/audit [count] [user]', summary: 'Show the latest admin actions (by or on a user)', access: 'admin',
  async run(c) {
    let count = a.config.auditDefaultCount;
    let i = 0;
    const first = c.args.get(0);
    if (first !== undefined && /^\d+$/.test(first)) {
      count = Number(first);
      if (count < 1 || count > a.config.auditMaxCount) throw new WhiskrError('BAD_ARGUMENTS', `The count is 1 to ${a.config.auditMaxCount}.`);
      i = 1;
    }
    const who = c.args.get(i);
    const rows = await a.store.recentAudit(count, who);
    return event('audit', {
      entries: rows.map((r) => ({ id: r.id, at: isoTime(r.at), by: r.by, address: r.address, action: r.action, target: r.target, text: r.text, detail: r.detail })),
    });
  },
});
