import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const WHISKR_BIN = fileURLToPath(new URL('../../bin/whiskr.js', import.meta.url));

/** A port that was free a moment ago (for servers started as separate processes). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** `whiskr serve` as a real process; resolves once it listens. Output is kept for assertions. */
export class ServerProcess {
  output = '';
  readonly exited: Promise<number | null>;
  private constructor(readonly child: ChildProcess, readonly port: number) {
    child.stdout?.on('data', (d) => { this.output += d; });
    child.stderr?.on('data', (d) => { this.output += d; });
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  static async start(args: string[], env: NodeJS.ProcessEnv = {}, timeout = 20_000): Promise<ServerProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [WHISKR_BIN, 'serve', '--host', '127.0.0.1', '--port', String(port), '--no-console', ...args], {
      env: { ...process.env, NO_COLOR: '1', WHISKR_LOG: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return ServerProcess.attach(child, port, timeout);
  }

  /** A server process started some other way (another command line); resolves once it listens on `port`. */
  static async attach(child: ChildProcess, port: number, timeout = 20_000): Promise<ServerProcess> {
    const proc = new ServerProcess(child, port);
    await proc.waitFor(new RegExp(`listening on 127\\.0\\.0\\.1:${port}`), timeout);
    return proc;
  }

  /** Wait for the process's output to match (it is waiting for an event, with a bound). */
  waitFor(pattern: RegExp, timeout = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (pattern.test(this.output)) { cleanup(); resolve(); }
      };
      const onExit = () => { cleanup(); if (!pattern.test(this.output)) reject(new Error(`process exited before ${pattern}; output:\n${this.output}`)); else resolve(); };
      const timer = setTimeout(() => { cleanup(); reject(new Error(`timed out waiting for ${pattern}; output:\n${this.output}`)); }, timeout);
      const cleanup = () => { clearTimeout(timer); this.child.stdout?.off('data', check); this.child.stderr?.off('data', check); this.child.off('exit', onExit); };
      this.child.stdout?.on('data', check);
      this.child.stderr?.on('data', check);
      this.child.on('exit', onExit);
      check();
    });
  }

  signal(sig: NodeJS.Signals): void { this.child.kill(sig); }

  /** Make sure the process is gone (tests call this in afterEach). */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}
