import { Command } from 'commander';
import { definePluginCli, type BootedServer, type CliOptions } from '../../core/index.js';
import type { AuthService } from './api.js';

/** A refusal the CLI prints as it is (no stack) before exiting with status 1. */
export class CliError extends Error { override name = 'CliError'; }

/** `whiskr user add|role|list`: accounts, from the command line. */
export default definePluginCli(({ command, withServer, readPassword }) => {
  const user = new Command('user').description('manage accounts');
  user.addCommand(command('add')
    .description('create an account (asks for the password, or reads it from standard input)')
    .argument('<name>', 'user name')
    .option('--admin', 'give the account the admin role')
    .action(async (name: string, opts: CliOptions & { admin?: boolean }) => {
      await withServer(opts, async (server) => {
        const auth = authOf(server);
        const existing = await auth.findUser(name);
        if (existing && opts.admin) {
          throw new CliError(`The name ${existing.name} is taken: that account exists (${existing.role}). To make it an admin: whiskr user role ${existing.name} admin`);
        }
        if (existing) throw new CliError(`The name ${name} is taken.`);
        // Asked once the name is known to be free, so nobody types a password for nothing.
        const password = await readPassword(`Password for ${name}: `);
        const account = await auth.createUser(name, password, opts.admin ? 'admin' : 'user');
        console.log(`Created ${account.role} ${account.name}.`);
      });
    }));
  user.addCommand(command('role')
    .description('give an account the admin or the user role')
    .argument('<name>', 'user name')
    .argument('<role>', 'admin or user')
    .action(async (name: string, role: string, opts: CliOptions) => {
      if (role !== 'admin' && role !== 'user') throw new Error(`the role must be admin or user, not ${role}`);
      await withServer(opts, async (server) => {
        const account = await authOf(server).setRole(name, role);
        console.log(`${account.name} is now ${account.role}.`);
      });
    }));
  user.addCommand(command('list')
    .description('list the accounts')
    .action(async (opts: CliOptions) => {
      await withServer(opts, async (server) => {
        for (const a of await authOf(server).listUsers()) {
          const seen = a.lastSeen === null ? 'never' : new Date(a.lastSeen).toISOString();
          console.log(`${a.name.padEnd(32)} ${a.role.padEnd(5)} last seen ${seen}`);
        }
      });
    }));
  return [user];
});

function authOf(server: BootedServer): AuthService {
  const auth = server.service('auth');
  if (!auth) throw new Error('the auth plugin is not loaded (check the config file)');
  return auth;
}
