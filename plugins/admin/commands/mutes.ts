import { defineCommand, event, isoTime } from '../../../core/index.js';
import { isoOrNull, type Admin } from '../admin.js';

export const mutes = (a: Admin) => defineCommand({
  name: 'mutes', usage: '/mutes', summary: 'List the running mutes', access: 'admin',
  run() {
    return event('mutes', { mutes: a.activeMutes().map((m) => ({ user: m.user, by: m.by, text: m.text, until: isoOrNull(m.until), created: isoTime(m.created) })) });
  },
});
