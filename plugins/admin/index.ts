import { definePlugin, event } from '../../core/index.js';
import { Admin, isoOrNull, mutedText } from './admin.js';
import { adminOptions } from './config.js';
import { migrations } from './migrations.js';
import { commands } from './commands/index.js';
import { renderers } from './text.js';
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
    const admin = new Admin(ctx);
    await admin.load();
    for (const make of commands) ctx.command(make(admin));
    ctx.hook('login.check', (user) => admin.refuseBanned(user.name));
    ctx.hook('message.check', (message) => admin.refuseMuted(message.from));
    ctx.hook('message.sent', () => admin.messages.add(ctx.clock.now()));
    ctx.hook('user.login', (session) => {
      const user = session.user;
      if (!user) return;
      // A ban set while this login was being checked: close it now, as the ban closed the others.
      const ban = admin.activeBan(user.name);
      if (ban) {
        session.send(event('banned', { by: ban.by, text: ban.text, until: isoOrNull(ban.until) }));
        ctx.sessions.close(session, 'banned', { logout: 'banned' });
        return;
      }
      // A muted user learns it at login rather than from the first refused message.
      const mute = admin.muteOf(user.name);
      if (mute) session.send(event('notice', { from: 'server', text: mutedText(mute) }));
    });
    ctx.every(ctx.config.sweepSeconds * 1000, () => admin.sweep());
    ctx.provide('admin', admin.service());
    // Channels refuses a muted user's topics, channel names and away texts: it asks these, not this plugin.
    ctx.attach('channels', (channels) => channels.muteWith({ isMuted: (user) => admin.isMuted(user), refuseMuted: (user) => admin.refuseMuted(user) }));
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
