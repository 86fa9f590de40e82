import blessed from 'blessed';
import type { Widgets } from 'blessed';
import { LineEditor } from '../input.js';
import { safe } from '../format.js';
import { fieldText, wrapWords } from './panes.js';
import { editKey, isPrintable, type Key } from './keys.js';
import { paint } from './colours.js';

export interface LoginRequest { host: string; port: number; name: string; password: string; create: boolean }

const FIELDS = ['Host', 'Port', 'Name', 'Password'] as const;
const LOG_IN = 4;
const CREATE = 5;

/**
 * The login screen: host, port, name, masked password; Log in or Create account. A refused login
 * (wrong password, name taken, banned until…, cannot connect) is shown in place and the fields stay.
 */
export class LoginView {
  private readonly box: Widgets.BoxElement;
  private readonly editors: LineEditor[];
  private focus: number;
  private error = '';
  private busy = false;

  constructor(
    private readonly screen: Widgets.Screen,
    defaults: { host: string; port: number; user?: string; error?: string },
    private readonly submit: (req: LoginRequest) => Promise<string | undefined>,
  ) {
    this.editors = [new LineEditor(255), new LineEditor(5), new LineEditor(32), new LineEditor(1024)];
    this.editors[0]!.set(defaults.host);
    this.editors[1]!.set(String(defaults.port));
    if (defaults.user) this.editors[2]!.set(defaults.user);
    this.focus = defaults.user ? 3 : 2;
    this.error = defaults.error ?? '';
    this.box = blessed.box({
      parent: screen, tags: true, top: 'center', left: 'center', width: 52, height: 15,
      border: { type: 'line' }, label: ' Whiskr ', style: { border: { fg: 'cyan' } },
    });
    this.render();
  }

  render(): void {
    const W = Number(this.screen.width);
    const width = Math.max(36, Math.min(60, W - 2));
    this.box.width = width;
    const inner = width - 4;
    const lines = ['', ' {bold}Log in to a Whiskr server{/bold}', ''];
    FIELDS.forEach((label, i) => {
      const text = fieldText(this.editors[i]!, inner - 12, this.focus === i && !this.busy, label === 'Password');
      lines.push(` ${this.focus === i ? '{cyan-fg}>{/cyan-fg}' : ' '} ${label.padEnd(9)} ${text}`);
    });
    const button = (label: string, i: number) => (this.focus === i ? `{inverse}[ ${label} ]{/inverse}` : `[ ${label} ]`);
    lines.push('', `   ${button('Log in', LOG_IN)}   ${button('Create account', CREATE)}`, '');
    // The whole reason, wrapped at spaces (a ban's reason, the rules for a name), the box growing to fit.
    const error = this.busy ? [' {yellow-fg}connecting…{/yellow-fg}'] : wrapWords(this.error, inner - 1).map((l) => (l ? ` {red-fg}${safe(l)}{/red-fg}` : ''));
    lines.push(...error);
    lines.push(' {gray-fg}Tab/Up/Down move · Enter log in · Ctrl-C quit{/gray-fg}');
    this.box.height = 14 + error.length;
    paint(this.box, lines.join('\n'));
    this.screen.render();
  }

  key(ch: string | undefined, key: Key): void {
    if (this.busy) return;
    const full = key.full;
    if (full === 'tab' || full === 'down') this.focus = (this.focus + 1) % 6;
    else if (full === 'S-tab' || full === 'up') this.focus = (this.focus + 5) % 6;
    else if (full === 'enter') { void this.go(this.focus === CREATE); return; }
    else if (this.focus >= LOG_IN) { if (full === 'left' || full === 'right') this.focus = this.focus === LOG_IN ? CREATE : LOG_IN; }
    else {
      const ed = this.editors[this.focus]!;
      if (!editKey(ed, key) && isPrintable(ch, key)) {
        if (this.focus === 1 && !/^[0-9]$/.test(ch)) return;
        if (this.focus !== 3 && ch === ' ') return;
        ed.insert(ch);
      }
    }
    this.render();
  }

  private async go(create: boolean): Promise<void> {
    const [host, port, name] = this.editors.map((e) => e.text.trim());
    const missing = [host, port, name, this.editors[3]!.text].findIndex((v) => !v);
    if (missing >= 0) { this.error = `${FIELDS[missing as 0]} is missing.`; this.focus = missing; this.render(); return; }
    this.busy = true;
    this.error = '';
    this.render();
    const error = await this.submit({ host: host!, port: Number(port), name: name!, password: this.editors[3]!.text, create });
    if (error === undefined) return;
    this.busy = false;
    this.error = error;
    if (/password/i.test(error)) { this.editors[3]!.set(''); this.focus = 3; }
    else if (/name/i.test(error)) this.focus = 2;
    this.render();
  }

  destroy(): void { this.box.destroy(); }
}
