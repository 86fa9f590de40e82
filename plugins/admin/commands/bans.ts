import { defineCommand, event, isoTime } from '../../../core/index.js';
import { isoOrNull, type Admin } from '../admin.js';

export const bans = (a: Admin) => defineCommand({
  name: 'bans', usage: '/bans', summary: 'List the running bans', access: 'admin',
  async run() {
    const list = await a.store.activeBans(a.now());
    return event('bans', { bans: list.map((b) => ({ user: b.user, by: b.by, text: b.text, until: isoOrNull(b.until), created: isoTime(b.created) })) });
  },
});
