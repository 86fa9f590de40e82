export interface CompletionSource {
  /** Command names without the slash. */
  commands: string[];
  /** User names, most relevant first (members of the current channel, then everyone known). */
  names: string[];
  channels: string[];
}

/** Candidates for the word being completed: commands as the first word after `/`, channels after `#`, else names. */
export function candidates(word: string, isFirstWord: boolean, src: CompletionSource): string[] {
  const lower = word.toLowerCase();
  const pick = (list: string[], prefix = '') => {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const item of list) {
      const full = prefix + item;
      const k = full.toLowerCase();
      if (k.startsWith(lower) && !seen.has(k)) { seen.add(k); out.push(full); }
    }
    return out;
  };
  if (isFirstWord && word.startsWith('/')) return pick([...src.commands].sort(), '/');
  if (word.startsWith('#')) return pick([...src.channels].sort((a, b) => a.localeCompare(b)));
  return pick(src.names);
}

/**
 * Tab completion with cycling: the first Tab completes the word before the cursor to the first
 * candidate, each further Tab replaces it with the next one (Shift-Tab goes back). A name completed as
 * the first word of a line gets `: ` after it, as IRC clients do.
 */
export class Completer {
  private state?: { before: string; after: string; list: string[]; index: number; result: string; first: boolean };

  /** Complete `text` at `cursor`; returns the new text and cursor, or undefined when nothing matches. */
  complete(text: string, cursor: number, src: CompletionSource, step = 1): { text: string; cursor: number } | undefined {
    const s = this.state;
    if (s && s.result === text && s.list.length > 0) {
      s.index = (s.index + step + s.list.length) % s.list.length;
      return this.render();
    }
    const before = text.slice(0, cursor);
    const start = before.lastIndexOf(' ') + 1;
    const word = before.slice(start);
    const first = before.slice(0, start).trim() === '';
    const list = candidates(word, first, src);
    if (list.length === 0) { this.state = undefined; return undefined; }
    this.state = { before: text.slice(0, start), after: text.slice(cursor), list, index: step > 0 ? 0 : list.length - 1, result: '', first };
    return this.render();
  }

  /** Any other key ends the cycle. */
  reset(): void { this.state = undefined; }

  private render(): { text: string; cursor: number } {
    const s = this.state!;
    const item = s.list[s.index]!;
    const suffix = s.first && !item.startsWith('/') && !item.startsWith('#') ? ': ' : ' ';
    const head = s.before + item + (s.after.startsWith(' ') ? '' : suffix);
    s.result = head + s.after;
    return { text: s.result, cursor: head.length };
  }
}
