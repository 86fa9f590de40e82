import { definePlugin, event } from '../../core/index.js';
import { adminOptions } from './config.js';
import { migrations } from './migrations.js';
import { commands } from './commands/index.js';
import { AdminStore } from './store.js';
import { Restrictions, refusalText } from './restrictions.js';
import { RateCounter } from './rate.js';
import { ShutdownCountdown } from './countdown.js';
import { isoOrNull, renderers } from './text.js';
import type { AdminService } from './api.js';
import './api.js';
import '../auth/api.js';
import '../history/api.js';
import '../channels/api.js';

export default definePlugin({
  name: 'admin',
  version: '0.1.0',
  description: 'moderation (kick, ban, mute, wall), shutdown, plugin control, users, roles, stats, audit trail',
  dependencies: ['auth'],
  // It holds /plugin, /rehash, /shutdown and /stats: it gets ctx.host.
  privileged: true,
  optionalDependencies: ['history', 'channels'],
  options: adminOptions,
  migrations,
  async setup(ctx) {
    const store = new AdminStore(ctx.db);
    const restrictions = new Restrictions(store, ctx.clock);
    await restrictions.load();
    if (ctx.cluster.enabled) {
      // A ban or mute applies on every node at once: the others read it from the database they share.
      restrictions.changed = (kind, user) => ctx.cluster.publish('restrictions', { kind, user });
      ctx.cluster.subscribe('restrictions', (d) => {
        const { kind, user } = d as { kind: 'ban' | 'mute'; user: string };
        restrictions.refresh(kind, user).catch((err) => ctx.log.warn(`${kind} of ${user} from another node not read: ${(err as Error).message}`));
      });
    }
    const messages = new RateCounter();
    const countdown = new ShutdownCountdown(ctx);
    for (const make of commands) ctx.command(make({ ctx, store, restrictions, messages, countdown }));
    ctx.hook('login.check', (user) => restrictions.refuse('ban', user.name));
    ctx.hook('message.check', (message) => restrictions.refuse('mute', message.from));
    ctx.hook('message.sent', () => messages.add(ctx.clock.now()));
    ctx.hook('user.login', (session) => {
      const user = session.user;
      if (!user) return;
      // A ban set while this login was being checked: close it now, as the ban closed the others.
      const ban = restrictions.running('ban', user.name);
      if (ban) {
        session.send(event('banned', { by: ban.by, text: ban.text, until: isoOrNull(ban.until) }));
        ctx.sessions.close(session, 'banned', { logout: 'banned' });
        return;
      }
      // A muted user learns it at login rather than from the first refused message.
      const mute = restrictions.running('mute', user.name);
      if (mute) session.send(event('notice', { from: 'server', text: refusalText('mute', mute) }));
    });
    ctx.every(ctx.config.sweepSeconds * 1000, async () => {
      const n = await restrictions.sweep();
      if (n > 0) ctx.log.debug(`removed ${n} expired ban(s)/mute(s)`);
    });
    const service: AdminService = {
      activeBan: async (user) => restrictions.running('ban', user),
      importBan: (ban) => restrictions.importBan(ban),
      isMuted: (user) => restrictions.running('mute', user) !== undefined,
      refuseMuted: (user) => restrictions.refuse('mute', user),
    };
    ctx.provide('admin', service);
    // Channels refuses a muted user's topics, channel names and away texts: it asks these, not this plugin.
    ctx.attach('channels', (channels) => channels.muteWith({ isMuted: service.isMuted, refuseMuted: service.refuseMuted }));
    ctx.render('bans', renderers.bans);
    ctx.render('mutes', renderers.mutes);
    ctx.render('plugins', renderers.plugins);
    ctx.render('users', renderers.users);
    ctx.render('stats', renderers.stats);
    ctx.render('audit', renderers.audit);
    ctx.render('kicked', renderers.kicked);
    ctx.render('banned', renderers.banned);
  },
});
