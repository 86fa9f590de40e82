import type { LineEditor } from '../input.js';

/** A key as blessed reports it (`full` is e.g. `C-w`, `M-left`, `S-tab`, `enter`). */
export interface Key { full: string; name?: string; ctrl?: boolean; meta?: boolean }

/** The readline editing keys, for any one-line field; true when the key was one of them. */
export function editKey(editor: LineEditor, key: Key): boolean {
  switch (key.full) {
    case 'left': case 'C-b': editor.left(); return true;
    case 'right': case 'C-f': editor.right(); return true;
    case 'home': case 'C-a': editor.home(); return true;
    case 'end': case 'C-e': editor.end(); return true;
    case 'backspace': case 'C-h': editor.backspace(); return true;
    case 'delete': case 'C-d': editor.del(); return true;
    case 'C-w': case 'M-backspace': editor.killWord(); return true;
    case 'C-u': editor.killBefore(); return true;
    case 'C-k': editor.killAfter(); return true;
    case 'C-left': case 'M-b': editor.wordLeft(); return true;
    case 'C-right': case 'M-f': editor.wordRight(); return true;
    default: return false;
  }
}

/** Whether a keypress is text to insert. */
export function isPrintable(ch: string | undefined, key: Key): ch is string {
  return typeof ch === 'string' && ch.length > 0 && !key.ctrl && !key.meta && !/[\u0000-\u001f\u007f]/.test(ch);
}
