import { definePlugin } from '../../core/index.js';
import { authOptions } from './config.js';
import { migrations } from './migrations.js';
import { Auth } from './auth.js';
import { commands } from './commands/index.js';
import { HashPool } from './hash-pool.js';
import { renderers } from './render.js';
import './api.js';

export default definePlugin({
  name: 'auth',
  version: '1.0.0',
  description: 'accounts, passwords (scrypt), logins, reconnect tokens, roles',
  options: authOptions,
  migrations,
  setup(ctx) {
    const hashes = new HashPool(ctx.config.maxConcurrentHashes);
    hashes.warm();
    ctx.onDispose(() => hashes.close());
    const auth = new Auth(ctx, hashes);
    for (const spec of commands(auth)) ctx.command(spec);
    ctx.provide('auth', auth.service());
    ctx.render('login', renderers.login);
    ctx.render('whoami', renderers.whoami);
    ctx.hook('user.logout', (session, info) => auth.loggedOut(session, info));
    ctx.hook('server.shutdown', () => auth.shuttingDown());
    ctx.every(60_000, async () => {
      auth.sweep();
      await auth.store.purgeExpiredTokens(ctx.clock.now());
    });
  },
});
