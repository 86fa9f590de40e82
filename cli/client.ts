import { Command } from 'commander';

export function clientCommand(): Command {
  return new Command('client')
    .description('start the terminal client')
    .option('--host <host>', 'server to connect to (host or host:port); repeat it for a cluster\'s other nodes, tried in turn when one fails', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('-p, --port <n>', 'server port (for a --host without one)', '6255')
    .option('--tls', 'connect with TLS')
    .option('--insecure', 'with --tls: accept a certificate that does not verify (self-signed)')
    .option('-u, --user <name>', 'user name to fill in')
    .action(async (opts: { host: string[]; port: string; tls?: boolean; insecure?: boolean; user?: string }) => {
      const { runClient } = await import('../clients/terminal/index.js');
      const hosts = (opts.host.length ? opts.host : ['localhost']).map((h) => parseHost(h, Number(opts.port)));
      const [first, ...more] = hosts;
      await runClient({ host: first!.host, port: first!.port, tls: Boolean(opts.tls), insecure: Boolean(opts.insecure), user: opts.user, more });
    });
}

/** `host`, `host:port` or `[v6]:port`. */
export function parseHost(text: string, port: number): { host: string; port: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:]+)(?::(\d+))?$/.exec(text);
  if (!m) return { host: text, port };
  const p = m[2] === undefined ? port : Number(m[2]);
  if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`--host ${text}: not a port number`);
  return { host: m[1]!, port: p };
}
