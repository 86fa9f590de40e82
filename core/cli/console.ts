import { createInterface } from 'node:readline';
import type { Server } from '../server.js';
import type { Transport } from '../transport.js';

/**
 * The operator console: standard input is one more session (address `console`), so its commands go
 * through the same parsing, permissions and replies as any connection. Log in as an admin to moderate.
 */
export function startConsole(server: Server): void {
  const transport: Transport = {
    remoteAddress: 'console',
    writableLength: 0,
    write: (data) => { process.stdout.write(data); },
    end: () => {},
    destroy: () => {},
  };
  const session = server.openSession(transport);
  const rl = createInterface({ input: process.stdin, terminal: false });
  rl.on('line', (line) => server.input(session, { line }));
  rl.on('close', () => server.closeSession(session, 'console closed'));
}
