import { Command } from 'commander';

export function clientCommand(): Command {
  return new Command('client')
    .description('start the terminal client')
    .option('--host <host>', 'server to connect to', 'localhost')
    .option('-p, --port <n>', 'server port', '6255')
    .option('--tls', 'connect with TLS')
    .option('--insecure', 'with --tls: accept a certificate that does not verify (self-signed)')
    .option('-u, --user <name>', 'user name to fill in')
    .action(async (opts: { host: string; port: string; tls?: boolean; insecure?: boolean; user?: string }) => {
      const { runClient } = await import('../clients/terminal/index.js');
      await runClient({ host: opts.host, port: Number(opts.port), tls: Boolean(opts.tls), insecure: Boolean(opts.insecure), user: opts.user });
    });
}
