import { definePlugin } from '../../core/index.js';
import { authDefaults } from './config.js';
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
  defaults: authDefaults,
  migrations,
  setup(ctx) {
    if (ctx.config.registration !== 'open' && ctx.config.registration !== 'closed') {
      throw new Error(`plugins.auth.registration must be "open" or "closed", not ${JSON.stringify(ctx.config.registration)}`);
    }
    const { scryptN, scryptR, scryptP } = ctx.config;
    if (!Number.isInteger(Math.log2(scryptN)) || scryptN < 2 || scryptN > 2 ** 20) {
      throw new Error(`plugins.auth.scryptN must be a power of two up to 1048576, not ${scryptN}`);
    }
    if (!Number.isInteger(scryptR) || scryptR < 1 || scryptR > 32 || !Number.isInteger(scryptP) || scryptP < 1 || scryptP > 16) {
      throw new Error(`plugins.auth.scryptR must be 1 to 32 and scryptP 1 to 16, not ${scryptR} and ${scryptP}`);
    }
    const hashes = new HashPool(ctx.config.maxConcurrentHashes);
    hashes.warm();
    ctx.onDispose(() => hashes.close());
    const accounts = new Accounts(ctx, hashes);
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
