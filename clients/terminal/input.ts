import { sliceColumns, stringWidth } from './width.js';

/**
 * The input line: text and cursor, edited with the keys readline users expect. Pure, so it is tested
 * without a terminal; the widget only paints `view()`.
 */
export class LineEditor {
  text = '';
  cursor = 0;
  /** blessed hands a character outside the BMP over as two keypresses: the first half waits here for the second. */
  private highHalf = '';

  constructor(readonly maxLength = 4000) {}

  set(text: string, cursor = text.length): void {
    this.text = clean(text).slice(0, this.maxLength);
    this.cursor = Math.max(0, Math.min(cursor, this.text.length));
  }

  insert(s: string): void {
    let text = clean(this.highHalf + s);
    this.highHalf = '';
    if (isHighSurrogate(text.charCodeAt(text.length - 1))) { this.highHalf = text.slice(-1); text = text.slice(0, -1); }
    text = text.replace(LONE_HALF, '');
    if (!text) return;
    const room = this.maxLength - this.text.length;
    let part = text.slice(0, Math.max(0, room));
    if (isHighSurrogate(part.charCodeAt(part.length - 1))) part = part.slice(0, -1);
    this.text = this.text.slice(0, this.cursor) + part + this.text.slice(this.cursor);
    this.cursor += part.length;
  }

  backspace(): void {
    if (this.cursor === 0) return;
    const at = this.before(this.cursor);
    this.text = this.text.slice(0, at) + this.text.slice(this.cursor);
    this.cursor = at;
  }

  del(): void { this.text = this.text.slice(0, this.cursor) + this.text.slice(this.after(this.cursor)); }
  left(): void { this.cursor = this.before(this.cursor); }
  right(): void { this.cursor = this.after(this.cursor); }

  /** Moves step over whole characters: an emoji (a surrogate pair) is never cut in half. */
  private before(i: number): number {
    if (i <= 0) return 0;
    return i >= 2 && isLowSurrogate(this.text.charCodeAt(i - 1)) && isHighSurrogate(this.text.charCodeAt(i - 2)) ? i - 2 : i - 1;
  }

  private after(i: number): number {
    if (i >= this.text.length) return this.text.length;
    return isHighSurrogate(this.text.charCodeAt(i)) && isLowSurrogate(this.text.charCodeAt(i + 1)) ? i + 2 : i + 1;
  }
  home(): void { this.cursor = 0; }
  end(): void { this.cursor = this.text.length; }
  /** Ctrl-U: delete up to the cursor. */
  killBefore(): void { this.text = this.text.slice(this.cursor); this.cursor = 0; }
  /** Ctrl-K: delete from the cursor. */
  killAfter(): void { this.text = this.text.slice(0, this.cursor); }

  /** Ctrl-W: delete the word before the cursor. */
  killWord(): void {
    let i = this.cursor;
    while (i > 0 && this.text[i - 1] === ' ') i--;
    while (i > 0 && this.text[i - 1] !== ' ') i--;
    this.text = this.text.slice(0, i) + this.text.slice(this.cursor);
    this.cursor = i;
  }

  wordLeft(): void {
    let i = this.cursor;
    while (i > 0 && this.text[i - 1] === ' ') i--;
    while (i > 0 && this.text[i - 1] !== ' ') i--;
    this.cursor = i;
  }

  wordRight(): void {
    let i = this.cursor;
    while (i < this.text.length && this.text[i] === ' ') i++;
    while (i < this.text.length && this.text[i] !== ' ') i++;
    this.cursor = i;
  }

  /** The part to show in `width` terminal columns (the cursor's cell included), and where the cursor falls in it. */
  view(width: number): { text: string; cursor: number } {
    const w = Math.max(1, width);
    let start = this.cursor;
    let cols = 1; // the cursor's own cell
    while (start > 0) {
      const prev = this.before(start);
      const cw = stringWidth(this.text.slice(prev, start));
      if (cols + cw > w) break;
      cols += cw;
      start = prev;
    }
    return { text: sliceColumns(this.text.slice(start), w), cursor: this.cursor - start };
  }
}

/** Pasted newlines and tabs become spaces; other control characters are dropped. */
function clean(s: string): string {
  return s.replace(/[\r\n\t]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

/** A surrogate half without its other half (it would be sent as U+FFFD). */
const LONE_HALF = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * What was sent, for Up/Down. Going up keeps the line being typed (the draft), and going back down past
 * the newest entry brings it back.
 */
export class InputHistory {
  private readonly items: string[] = [];
  private at = 0;
  private draft = '';

  constructor(private readonly max = 500) {}

  get entries(): readonly string[] { return this.items; }

  /** Remember a sent line (not blank, not the same as the one before). */
  push(line: string): void {
    if (line.trim() && this.items[this.items.length - 1] !== line) {
      this.items.push(line);
      if (this.items.length > this.max) this.items.shift();
    }
    this.at = this.items.length;
    this.draft = '';
  }

  /** The older line, given what is in the input now; undefined at the oldest. */
  up(current: string): string | undefined {
    if (this.at === 0) return undefined;
    if (this.at === this.items.length) this.draft = current;
    this.at -= 1;
    return this.items[this.at];
  }

  /** The newer line; the draft after the newest; undefined when already at the draft. */
  down(): string | undefined {
    if (this.at >= this.items.length) return undefined;
    this.at += 1;
    return this.at === this.items.length ? this.draft : this.items[this.at];
  }
}
