import { createInterface, clearLine, cursorTo, type Interface } from 'node:readline';
import { Writable } from 'node:stream';
import type { Server } from '../core/server.js';
import type { Session } from '../core/session.js';
import type { Transport } from '../core/transport.js';

/**
 * Whether `whiskr serve` takes commands on standard input: never with --no-console; forced by
 * WHISKR_CONSOLE=1 (tests, or a supervisor that pipes commands in) or WHISKR_CONSOLE=0; otherwise only
 * when standard input is a terminal.
 */
export function consoleWanted(flag: boolean, stdin: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!flag) return false;
  if (env.WHISKR_CONSOLE === '1') return true;
  if (env.WHISKR_CONSOLE === '0') return false;
  return Boolean(stdin.isTTY);
}

export interface ConsoleOptions {
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream & { isTTY?: boolean; writableLength?: number };
  /** Ctrl-C at the console (the terminal is in raw mode, so no signal is raised): stop the server as SIGINT would. */
  onInterrupt?: () => void;
}

export interface OperatorConsole {
  /** The session the console speaks through now (a new one is opened when it ends, e.g. after /quit). */
  readonly session: Session;
  /** Stop reading (the terminal is put back as it was) and end the session. */
  close(): void;
}

/** `/login name` or `/register name` with no password on the line: the console asks for it without echo. */
const ASKS_PASSWORD = /^\/(login|register)\s+(\S+)\s*$/i;
/** Lines that carry a password never enter the line-editing history. */
const SECRET = /^\/(login|register|passwd)\s/i;

/**
 * The operator console: standard input is one more session (address `console`: no login timeout, no flood
 * limit), so its commands go through the same parsing, permissions and replies as any connection. The
 * operator logs in as an admin with /login and moderates with the same commands.
 *
 * On a terminal, lines are edited with readline (history, arrows); `/login <name>` alone asks for the
 * password without echo; Ctrl-C stops the server; Ctrl-D closes the console and the server keeps running.
 */
export function startConsole(server: Server, options: ConsoleOptions = {}): OperatorConsole {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const tty = Boolean(input.isTTY);
  let muted = false;
  let closed = false;
  let asking: { command: string; name: string } | undefined;

  // readline echoes what is typed through this stream, so muting it hides a password as it is typed.
  const echo = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) output.write(chunk);
      done();
    },
  });
  const rl: Interface = createInterface({ input, output: echo, terminal: tty, prompt: tty ? '> ' : '', historySize: tty ? 200 : 0 });
  rl.on('history', (history: string[]) => {
    if (history[0] !== undefined && SECRET.test(history[0])) history.shift();
  });

  /** Session output, written above the line being typed (which is drawn again after it). */
  const print = (data: string | Buffer) => {
    if (!tty || closed) { output.write(data); return; }
    clearLine(output, 0);
    cursorTo(output, 0);
    output.write(data);
    if (asking) output.write('Password: ');
    else rl.prompt(true);
  };

  const transport: Transport = {
    remoteAddress: 'console',
    get writableLength() { return output.writableLength ?? 0; },
    write: print,
    end: () => ended(),
    destroy: () => ended(),
  };

  let session = server.openSession(transport);
  /** The session ended (/quit, /kick, output overflow): open a new one, unless the console or the server is stopping. */
  function ended(): void {
    setImmediate(() => {
      if (closed || server.isShuttingDown || !session.closed) return;
      session = server.openSession(transport);
    });
  }

  rl.on('line', (line) => {
    if (asking) {
      const { command, name } = asking;
      asking = undefined;
      muted = false;
      output.write('\n');
      server.input(session, { line: `/${command} ${name} ${line}` });
      return;
    }
    const m = tty ? ASKS_PASSWORD.exec(line.trim()) : null;
    if (m) {
      asking = { command: m[1]!.toLowerCase(), name: m[2]! };
      output.write('Password: ');
      muted = true;
      return;
    }
    server.input(session, { line });
  });
  rl.on('SIGINT', () => {
    if (asking) {
      // Ctrl-C while a password is asked for cancels the question, not the server.
      asking = undefined;
      muted = false;
      output.write('\n');
      rl.prompt();
      return;
    }
    options.onInterrupt?.();
  });
  rl.on('close', () => {
    if (closed) return;
    closed = true;
    server.closeSession(session, 'console closed');
    if (!server.isShuttingDown) server.log.info('console closed (end of input); the server keeps running');
  });
  if (tty) rl.prompt();

  return {
    get session() { return session; },
    close() {
      if (closed) return;
      rl.close();
    },
  };
}
