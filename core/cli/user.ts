import { Command } from 'commander';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { withBootedServer, withCommonOptions, type CommonOptions } from './options.js';
import '../../plugins/auth/api.js';

/** Read a password: without echo on a terminal, or the first line of piped standard input. */
export async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let data = '';
    for await (const chunk of stdin) data += chunk;
    return data.split(/\r?\n/)[0] ?? '';
  }
  let muted = false;
  const output = new Writable({ write: (chunk, _enc, cb) => { if (!muted) process.stdout.write(chunk); cb(); } });
  const rl = createInterface({ input: stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(prompt, (answer) => { rl.close(); process.stdout.write('\n'); resolve(answer); });
    muted = true;
  });
}

export function userCommand(): Command {
  const user = new Command('user').description('manage accounts');
  user.addCommand(withCommonOptions(new Command('add'))
    .description('create an account (asks for the password, or reads it from standard input)')
    .argument('<name>', 'user name')
    .option('--admin', 'give the account the admin role')
    .action(async (name: string, opts: CommonOptions & { admin?: boolean }) => {
      const password = await readPassword(`Password for ${name}: `);
      await withBootedServer(opts, async (server) => {
        const auth = server.service('auth');
        if (!auth) throw new Error('the auth plugin is not loaded (check the config file)');
        const account = await auth.createUser(name, password, opts.admin ? 'admin' : 'user');
        console.log(`Created ${account.role} ${account.name}.`);
      });
    }));
  return user;
}
