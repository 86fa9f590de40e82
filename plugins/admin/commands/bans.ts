import { defineCommand, event, isoTime } from '../../../core/index.js';
import { isoOrNull, type Admin } from '../admin.js';

export const bans = (a: Admin) => defineCommand({
  name: 'bans', usage: '/bans', summary: 'List the running bans', access: 'admin',
  run() {
    const list = a.activeBans();
    return event('bans', { bans: list.map((b) => ({ user: b.user, by: b.by, text: b.text, until: isoOrNull(b.until), created: isoTime(b.created) })) });
  },
});
