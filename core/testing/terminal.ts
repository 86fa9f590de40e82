import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { WHISKR_BIN, freePort } from './process.js';

/** Whether util-linux `script` (Debian/Ubuntu: bsdutils, always installed) is there to give a process a terminal. */
export const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * `whiskr serve` with its standard input on a pseudo-terminal (util-linux `script`), as an operator would
 * run it: what is written to `type` is typed at the terminal; `output` is what the terminal shows.
 */
export class TerminalServer {
  output = '';
  readonly exited: Promise<number | null>;
  private constructor(readonly child: ChildProcess, readonly port: number) {
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => { this.output += d; });
    child.stderr!.on('data', (d: Buffer) => { this.output += d.toString(); });
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  static async start(configFile: string, extra: string[] = []): Promise<TerminalServer> {
    const port = await freePort();
    // `script` runs the command through $SHELL -c; `exec` makes the server the terminal's foreground process
    // itself, as when an operator starts it from a shell (a non-interactive dash would otherwise sit between
    // them, and die of the terminal's Ctrl-C).
    const cmd = 'exec ' + [process.execPath, WHISKR_BIN, 'serve', '--config', configFile, '--host', '127.0.0.1', '--port', String(port), ...extra].map(quote).join(' ');
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], {
      env: { ...process.env, NO_COLOR: '1', WHISKR_LOG: 'info', TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const t = new TerminalServer(child, port);
    await t.waitFor(new RegExp(`listening on 127\\.0\\.0\\.1:${port}`), 20_000);
    return t;
  }

  /** Type at the terminal (add \r to press Enter). */
  type(keys: string): void { this.child.stdin!.write(keys); }

  /** Output since `from` (an offset into `output`), once it matches; bounded. */
  waitFor(pattern: RegExp, timeout = 10_000, from = 0): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(this.output.slice(from));
        if (m) { done(); resolve(m[0]); }
      };
      const timer = setTimeout(() => { done(); reject(new Error(`timed out waiting for ${pattern}; terminal:\n${this.output.slice(-2000)}`)); }, timeout);
      const onExit = () => { setImmediate(() => { check(); done(); reject(new Error(`exited before ${pattern}; terminal:\n${this.output.slice(-2000)}`)); }); };
      const done = () => { clearTimeout(timer); this.child.stdout!.off('data', check); this.child.stderr!.off('data', check); this.child.off('exit', onExit); };
      this.child.stdout!.on('data', check);
      this.child.stderr!.on('data', check);
      this.child.on('exit', onExit);
      check();
    });
  }

  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}
