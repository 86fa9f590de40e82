import { Command } from 'commander';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { withBootedServer, withCommonOptions, type CommonOptions } from './options.js';
import type { Server } from '../server.js';
import type { AuthService } from '../../plugins/auth/api.js';

/**
 * Read a new password: on a terminal without echo, asked twice (a typo there would lock the account out);
 * piped, the first line of standard input.
 */
export async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let data = '';
    for await (const chunk of stdin) data += chunk;
    return data.split(/\r?\n/)[0] ?? '';
  }
  let muted = false;
  const output = new Writable({ write: (chunk, _enc, cb) => { if (!muted) process.stdout.write(chunk); cb(); } });
  // One interface for both questions: lines typed ahead are not lost between them.
  const rl = createInterface({ input: stdin, output, terminal: true });
  const ask = (q: string) => new Promise<string>((resolve) => {
    muted = false;
    rl.question(q, (answer) => { process.stdout.write('\n'); resolve(answer); });
    muted = true;
  });
  try {
    const first = await ask(prompt);
    const again = await ask('Again, to confirm: ');
    if (first !== again) throw new CliError('The two passwords differ; nothing was changed.');
    return first;
  } finally {
    rl.close();
  }
}

/** A refusal the CLI prints as it is (no stack) before exiting with status 1. */
export class CliError extends Error { override name = 'CliError'; }

export function userCommand(): Command {
  const user = new Command('user').description('manage accounts');
  user.addCommand(withCommonOptions(new Command('add'))
    .description('create an account (asks for the password, or reads it from standard input)')
    .argument('<name>', 'user name')
    .option('--admin', 'give the account the admin role')
    .action(async (name: string, opts: CommonOptions & { admin?: boolean }) => {
      await withBootedServer(opts, async (server) => {
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
  user.addCommand(withCommonOptions(new Command('role'))
    .description('give an account the admin or the user role')
    .argument('<name>', 'user name')
    .argument('<role>', 'admin or user')
    .action(async (name: string, role: string, opts: CommonOptions) => {
      if (role !== 'admin' && role !== 'user') throw new Error(`the role must be admin or user, not ${role}`);
      await withBootedServer(opts, async (server) => {
        const account = await authOf(server).setRole(name, role);
        console.log(`${account.name} is now ${account.role}.`);
      });
    }));
  user.addCommand(withCommonOptions(new Command('list'))
    .description('list the accounts')
    .action(async (opts: CommonOptions) => {
      await withBootedServer(opts, async (server) => {
        for (const a of await authOf(server).listUsers()) {
          const seen = a.lastSeen === null ? 'never' : new Date(a.lastSeen).toISOString();
          console.log(`${a.name.padEnd(32)} ${a.role.padEnd(5)} last seen ${seen}`);
        }
      });
    }));
  return user;
}

function authOf(server: Server): AuthService {
  const auth = server.service('auth');
  if (!auth) throw new Error('the auth plugin is not loaded (check the config file)');
  return auth;
}
