import { definePlugin } from '../../core/index.js';
import { authOptions } from './config.js';
import { migrations } from './migrations.js';
import { Accounts } from './accounts.js';
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
    const accounts = new Accounts(ctx, hashes);
    // What is noted and not written yet goes with an unload or reload.
    ctx.onDispose(() => accounts.flushSeen());
    for (const make of commands) ctx.command(make({ accounts, ctx }));
    ctx.provide('auth', accounts.service());
    ctx.render('login', renderers.login);
    ctx.render('whoami', renderers.whoami);
    ctx.hook('user.logout', (session, info) => accounts.loggedOut(session, info));
    ctx.hook('server.shutdown', () => accounts.shuttingDown());
    ctx.every(60_000, async () => {
      accounts.sweep();
      await accounts.store.purgeExpiredTokens(ctx.clock.now());
    });
  },
});
