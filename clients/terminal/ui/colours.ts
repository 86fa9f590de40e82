import type { Widgets } from 'blessed';

/**
 * Colours that exist on the terminal. blessed maps grey (colour 8, bright black) to black on a terminal
 * it reads as 8-colour, and it reads tmux-256color and screen-256color as 8-colour (it cannot parse their
 * terminfo entries): times, separators, event lines and hints were drawn black on black.
 * - A terminal named `*-256color` has 256 colours, whatever blessed read.
 * - On a real 8-colour terminal (screen, xterm, linux) grey is drawn in the default colour instead.
 */
export function fitColours(screen: Widgets.Screen): number {
  const tput = screen.tput as unknown as { colors: number };
  const term = String((screen as unknown as { terminal?: string }).terminal ?? process.env.TERM ?? '');
  if (/-256colou?r$/.test(term) && tput.colors < 256) tput.colors = 256;
  return tput.colors;
}

/** Blessed-tagged content with the colours the terminal lacks removed (grey, below 16 colours). */
export function withColours(content: string, colours: number): string {
  return colours >= 16 ? content : content.replace(/\{\/?(?:gray|grey)-fg\}/g, '');
}

/** Grey for a widget's style, or the default colour where grey does not exist. */
export function grey(colours: number): string | undefined {
  return colours >= 16 ? 'gray' : undefined;
}

/** How many colours blessed will use on this screen. */
export function colourCount(screen: Widgets.Screen): number {
  return (screen.tput as unknown as { colors: number }).colors;
}

/** Set a widget's content with only colours the terminal has. */
export function paint(el: Widgets.BlessedElement, content: string): void {
  el.setContent(withColours(content, colourCount(el.screen)));
}
