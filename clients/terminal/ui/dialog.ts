import blessed from 'blessed';
import type { Widgets } from 'blessed';
import type { ChatClient } from '../client.js';
import { LineEditor } from '../input.js';
import { safe } from '../format.js';
import { fieldText, fit, wrapWords } from './panes.js';
import { editKey, isPrintable, type Key } from './keys.js';
import { paint } from './colours.js';

type Focus = 'name' | 'list' | 'ok' | 'cancel';
const ORDER: Focus[] = ['name', 'list', 'ok', 'cancel'];

/**
 * The new-channel dialog (Ctrl-N): a name and a checkbox list of the users online; OK runs
 * `/channel create #name user…` and the new private channel becomes current. Errors stay in the dialog.
 */
export class NewChannelDialog {
  private readonly box: Widgets.BoxElement;
  private readonly name = new LineEditor(49);
  private users: string[];
  private readonly checked = new Set<string>();
  private focus: Focus = 'name';
  private sel = 0;
  private error = '';
  private busy = false;

  constructor(private readonly screen: Widgets.Screen, private readonly client: ChatClient, private readonly onClose: () => void) {
    this.box = blessed.box({
      parent: screen, tags: true, top: 'center', left: 'center', width: 50, height: 16,
      border: { type: 'line' }, label: ' New private channel ', style: { border: { fg: 'cyan' } },
    });
    this.users = client.model.onlineUsers();
    void client.refreshOnline().then(() => { this.users = client.model.onlineUsers(); this.sel = Math.min(this.sel, Math.max(0, this.users.length - 1)); this.screen.emit('dialog-update'); });
  }

  render(): void {
    const W = Number(this.screen.width);
    const H = Number(this.screen.height);
    const width = Math.max(30, Math.min(56, W - 4));
    const height = Math.max(12, Math.min(20, this.users.length + 10, H - 2));
    const inner = width - 4;
    this.box.width = width;
    this.box.height = height + (this.busy ? 0 : wrapWords(this.error, inner - 1).length - 1);
    const listRows = Math.max(1, height - 10);
    const start = Math.max(0, Math.min(this.sel - listRows + 1, this.users.length - listRows));
    const lines: string[] = [];
    lines.push(` Name: #${fieldText(this.name, inner - 8, this.focus === 'name')}`);
    lines.push('');
    lines.push(` Members ${this.focus === 'list' ? '(Space ticks)' : ''}`);
    if (this.users.length === 0) lines.push('   {gray-fg}nobody else is online{/gray-fg}');
    for (let i = start; i < Math.min(this.users.length, start + listRows); i++) {
      const u = this.users[i]!;
      const row = ` [${this.checked.has(u) ? 'x' : ' '}] ${safe(fit(u, inner - 6))}`;
      lines.push(this.focus === 'list' && i === this.sel ? `{inverse}${row}{/inverse}` : row);
    }
    while (lines.length < 3 + listRows) lines.push('');
    const button = (label: string, f: Focus) => (this.focus === f ? `{inverse}[ ${label} ]{/inverse}` : `[ ${label} ]`);
    lines.push('');
    lines.push(`   ${button('OK', 'ok')}   ${button('Cancel', 'cancel')}`);
    if (this.busy) lines.push(' {yellow-fg}creating…{/yellow-fg}');
    else for (const l of wrapWords(this.error, inner - 1)) lines.push(l ? ` {red-fg}${safe(l)}{/red-fg}` : '');
    lines.push(' {gray-fg}Tab next · Space tick · Enter OK · Esc cancel{/gray-fg}');
    paint(this.box, lines.join('\n'));
    this.box.setFront();
  }

  key(ch: string | undefined, key: Key): void {
    const full = key.full;
    if (full === 'escape' || (full === 'enter' && this.focus === 'cancel')) { this.close(); return; }
    if (full === 'C-c') { this.close(); return; }
    if (full === 'tab' || full === 'S-tab') {
      this.focus = ORDER[(ORDER.indexOf(this.focus) + (full === 'tab' ? 1 : ORDER.length - 1)) % ORDER.length]!;
    } else if (full === 'enter') {
      void this.submit();
    } else if (this.focus === 'list') {
      if (full === 'up') { if (this.sel === 0) this.focus = 'name'; else this.sel--; }
      else if (full === 'down') this.sel = Math.min(this.users.length - 1, this.sel + 1);
      else if (full === 'space' || ch === ' ' || ch === 'x') this.toggle();
    } else if (this.focus === 'name') {
      if (full === 'down') this.focus = 'list';
      else if (!editKey(this.name, key) && isPrintable(ch, key) && ch !== ' ' && ch !== '#') this.name.insert(ch);
    } else if (full === 'left' || full === 'right') {
      this.focus = this.focus === 'ok' ? 'cancel' : 'ok';
    }
    this.screen.emit('dialog-update');
  }

  private toggle(): void {
    const u = this.users[this.sel];
    if (!u) return;
    if (this.checked.has(u)) this.checked.delete(u); else this.checked.add(u);
  }

  private async submit(): Promise<void> {
    if (this.busy) return;
    const name = this.name.text.trim();
    if (!name) { this.error = 'Give the channel a name.'; this.focus = 'name'; this.screen.emit('dialog-update'); return; }
    this.busy = true;
    this.error = '';
    this.screen.emit('dialog-update');
    const error = await this.client.createChannel(`#${name}`, [...this.checked]);
    this.busy = false;
    if (error) { this.error = error; this.screen.emit('dialog-update'); return; }
    this.close();
  }

  private close(): void {
    this.box.destroy();
    this.onClose();
  }
}
