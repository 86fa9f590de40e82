import blessed from 'blessed';
import { ChatClient } from './client.js';
import { LoginView } from './ui/login.js';
import { MainView } from './ui/main.js';
import type { Key } from './ui/keys.js';
import { useTerminalWidths } from './ui/widths.js';
import { fitColours } from './ui/colours.js';

export interface RunOptions {
  host: string; port: number; tls: boolean; insecure: boolean; user?: string;
  /** More servers (a cluster's other nodes), tried in turn when the first cannot be reached. */
  more?: { host: string; port: number }[];
}

/**
 * `whiskr client`: the login screen, then the chat screen. Resolves when the user quits (/quit or
 * Ctrl-C), with the terminal restored.
 */
export function runClient(opts: RunOptions): Promise<void> {
  // Draw lines and marks as UTF-8, not through the alternate character set (which some terminals and
  // tmux's capture show as letters). ncurses reads the same variable.
  process.env.NCURSES_NO_UTF8_ACS ??= '1';
  useTerminalWidths();
  const screen = blessed.screen({ smartCSR: true, fullUnicode: true, forceUnicode: true, title: 'Whiskr', warnings: false, autoPadding: false });
  fitColours(screen);
  screen.enableMouse();
  let client: ChatClient | undefined;
  let main: MainView | undefined;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => { done = resolve; });
  let ended = false;

  const end = (code = 0, message?: string) => {
    if (ended) return;
    ended = true;
    client?.close();
    screen.destroy();
    if (message) process.stderr.write(message + '\n');
    process.exitCode = code;
    done();
    // Nothing else should keep the process alive; if something does, do not hang the user's terminal.
    setTimeout(() => process.exit(code), 500).unref();
  };
  const quit = () => { if (client && main) void client.quit().finally(() => end()); else end(); };

  let login: LoginView | undefined;
  const showLogin = (defaults: { host: string; port: number; user?: string; error?: string }) => {
    login = new LoginView(screen, defaults, async (req) => {
      const c = new ChatClient({ host: req.host, port: req.port, tls: opts.tls, insecure: opts.insecure, backoff: backoffFromEnv(), more: opts.more });
      const error = await c.login({ name: req.name, password: req.password, create: req.create });
      if (error !== undefined) { c.close(); return error; }
      client = c;
      login?.destroy();
      login = undefined;
      main = new MainView(screen, c, () => end());
      // Logged out, or logging in again failed for good (the token was revoked, a ban): back to the login screen.
      c.onFatal = (text) => {
        c.close();
        main?.destroy();
        main = undefined;
        client = undefined;
        showLogin({ host: req.host, port: req.port, user: req.name, error: text });
      };
      return undefined;
    });
  };
  showLogin({ host: opts.host, port: opts.port, user: opts.user });

  screen.on('keypress', (ch: string | undefined, key: Key) => {
    if (!key || key.full === 'return') return; // Enter arrives as both `enter` and `return`
    try {
      if (key.full === 'C-c' && !main?.dialogOpen) { quit(); return; }
      if (main) main.key(ch, key); else login?.key(ch, key);
    } catch (err) {
      end(1, `whiskr client: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
  });
  screen.on('resize', () => { if (!main) login?.render(); });
  const onFatal = (err: unknown) => end(1, `whiskr client: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  process.once('uncaughtException', onFatal);
  process.once('unhandledRejection', onFatal);
  process.once('SIGTERM', quit);
  process.once('SIGHUP', () => end());
  return finished;
}

/** `WHISKR_CLIENT_BACKOFF=500,1000,30000`: the waits between reconnect attempts, in ms (the last one repeats). */
function backoffFromEnv(): number[] | undefined {
  const waits = (process.env.WHISKR_CLIENT_BACKOFF ?? '').split(',').filter(Boolean).map(Number);
  return waits.length > 0 && waits.every((n) => Number.isFinite(n) && n >= 0) ? waits : undefined;
}
