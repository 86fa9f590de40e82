import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real `whiskr client` in a real pseudo-terminal: each `Tmux` is its own tmux server (`-L` socket,
 * unique per run) with one session; the test types with send-keys and reads with capture-pane, waiting
 * for text to appear (polling with a bound), never for a fixed time.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;
let seq = 0;

export interface StartOptions { port: number; user?: string; width?: number; height?: number; term?: string; env?: Record<string, string> }

export class Tmux {
  readonly socket = `whiskr-e2e-${process.pid}-${Date.now().toString(36)}-${++seq}`;

  private run(...args: string[]): string { return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' }); }

  /** Start the client at the given size; when it exits the pane stays open with its exit status. */
  start(o: StartOptions): void {
    const env = { ...process.env, NODE_OPTIONS: '', TERM: o.term ?? 'xterm-256color' };
    const client = `node bin/whiskr.js client --host 127.0.0.1 --port ${o.port}${o.user ? ` -u ${o.user}` : ''}`;
    const vars = Object.entries({ TERM: o.term ?? 'xterm-256color', ...o.env }).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
    const script = `cd ${JSON.stringify(ROOT)} && ${vars} ${client}; echo "client exited: $?"; sleep 30`;
    execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'whiskr', '-x', String(o.width ?? 100), '-y', String(o.height ?? 30), script], { env });
  }

  /** The screen as text; with `escapes`, with the SGR codes of each cell (capture-pane -e). */
  screen(escapes = false): string { return this.run('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', 'whiskr'); }
  keys(...k: string[]): void { this.run('send-keys', '-t', 'whiskr', ...k); }
  type(text: string): void { this.run('send-keys', '-t', 'whiskr', '-l', text); }
  resize(width: number, height: number): void { this.run('resize-window', '-t', 'whiskr', '-x', String(width), '-y', String(height)); }

  async waitFor(what: string | RegExp | ((screen: string) => boolean), timeout = 8000, escapes = false): Promise<string> {
    const deadline = Date.now() + timeout;
    let last = '';
    for (;;) {
      try { last = this.screen(escapes); } catch { last = '(no tmux session)'; }
      if (typeof what === 'string' ? last.includes(what) : what instanceof RegExp ? what.test(last) : what(last)) return last;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(what)} on the screen:\n${last}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Log in (or create the account) from the login screen and wait for the chat screen. */
  async login(name: string, password: string, create = false): Promise<void> {
    await this.waitFor('Log in to a Whiskr server', 20_000);
    this.keys('C-u');
    this.type(name);
    this.keys('Tab');
    this.type(password);
    this.keys(...(create ? ['Tab', 'Tab', 'Enter'] : ['Enter']));
    await this.waitFor('[online]');
  }

  /** Our own tmux server only, by its socket name. */
  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
    rmSync(join(process.env.TMUX_TMPDIR ?? tmpdir(), `tmux-${process.getuid?.() ?? 0}`, this.socket), { force: true });
  }
}
