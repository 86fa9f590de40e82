import { definePlugin } from '../../core/index.js';
import { authDefaults } from './config.js';
import { migrations } from './migrations.js';
import { Auth } from './auth.js';
import { commands } from './commands/index.js';
import './api.js';

export default definePlugin({
  name: 'auth',
  version: '1.0.0',
  description: 'accounts, passwords (scrypt), logins, reconnect tokens, roles',
  defaults: authDefaults,
  migrations,
  setup(ctx) {
    if (ctx.config.registration !== 'open' && ctx.config.registration !== 'closed') {
      throw new Error(`plugins.auth.registration must be "open" or "closed", not ${JSON.stringify(ctx.config.registration)}`);
    }
    if (!Number.isInteger(Math.log2(ctx.config.scryptN)) || ctx.config.scryptN < 2) {
      throw new Error(`plugins.auth.scryptN must be a power of two, not ${ctx.config.scryptN}`);
    }
    const auth = new Auth(ctx.db, ctx.config, ctx.server, ctx.clock, ctx.log);
    for (const spec of commands(auth)) ctx.command(spec);
    ctx.provide('auth', auth.service());
    ctx.hook('user.logout', (_session, info) => auth.loggedOut(info));
    ctx.every(60_000, async () => {
      auth.sweep();
      await auth.store.purgeExpiredTokens(ctx.clock.now());
    });
  },
});
