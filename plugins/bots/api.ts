/**
 * What the bots plugin stores, as other code sees it. The plugin offers no service: its bots are
 * reached through the bot runner (ctx.bots) like any plugin's.
 */

/** A reminder as stored (times in ms since the epoch). */
export interface Reminder {
  id: number;
  user: string;
  /** Where it was asked; null for a DM to the bot. */
  channel: string | null;
  text: string;
  createdAt: number;
  dueAt: number;
  attempts: number;
}

/** A poll as stored, with its vote counts per option. */
export interface Poll {
  id: number;
  channel: string;
  question: string;
  options: string[];
  creator: string;
  createdAt: number;
  /** null while open. */
  closedAt: number | null;
  closedBy: string | null;
  /** Votes per option, in the options' order. */
  counts: number[];
}
