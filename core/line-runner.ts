import { dispatchLine } from './dispatcher.js';
import { event, type ServerEvent } from './events.js';
import { EntryGate } from './entry-gate.js';
import type { InputItem, InputQueue, InputRunner } from './input.js';
import { labelOutput, splitLabel } from './labels.js';
import { parseLine } from './parse.js';
import { inReplyScope } from './reply-scope.js';
import type { Server } from './server.js';
import type { Session } from './session.js';

/** Lines of sessions not logged in yet: how many may be under way at once, and how many milliseconds of
 * an event-loop turn may start them (see EntryGate). Four logins take ~4 ms of a turn (SQLite's queries run
 * on the main thread); a wave then goes through at about a thousand logins a second on two cores. */
const ENTRY_IN_FLIGHT = 4;
const ENTRY_BUDGET_MS = 1;
/** The core's commands open to everyone that need no gate: they touch no database and hash nothing. */
const UNGATED = new Set(['ping', 'help', 'format', 'quit']);

/** The line that closes a labeled command's reply. */
const END = event('end', {});

/**
 * Runs what every session's input queue hands it: a line goes to the dispatcher (in a reply scope when it
 * carries a request label), a framing error becomes its reply; a flood refusal is answered (and abuse
 * closes the session). One per server.
 */
export class LineRunner implements InputRunner {
  /** Admission of the lines of sessions that have not logged in (see EntryGate). */
  private readonly entryGate = new EntryGate(ENTRY_IN_FLIGHT, ENTRY_BUDGET_MS);

  constructor(private readonly server: Server) {}

  now(): number { return this.server.clock.now(); }

  async run(session: Session, item: InputItem): Promise<void> {
    if (!this.gated(session, item)) return this.runLine(session, item);
    const pass = this.entryGate.started();
    try { await this.runLine(session, item); } finally { this.entryGate.finished(pass); }
  }

  private async runLine(session: Session, item: InputItem): Promise<void> {
    const listener = session.listener;
    if (listener) {
      // A plugin's protocol: its handler runs the line (behind a firewall: its failure never stops the queue).
      try { await listener.spec.input(session, item); } catch (err) { this.server.log.error(`session ${session.id}: a plugin listener failed on a line`, err); }
      return;
    }
    if ('error' in item) {
      const max = this.server.config.server.maxLineBytes;
      session.send(event('error', item.error === 'LINE_TOO_LONG'
        ? { code: 'LINE_TOO_LONG', text: `Lines are limited to ${max} bytes; that one was discarded.` }
        : { code: 'BAD_ENCODING', text: 'That line was not valid UTF-8; it was discarded.' }));
      return;
    }
    const labeled = splitLabel(item.line);
    if (!labeled) return dispatchLine(this.server, session, item.line);
    if ('bad' in labeled) {
      session.send(event('error', { code: 'BAD_LABEL', text: 'A label is 1 to 64 letters, digits, ".", "_", ":" or "-", as in @label=r1 /ping; the line was not run.' }));
      return;
    }
    const { label, line } = labeled;
    // Whatever the command writes to this session while it runs is its reply: labeled, then closed by `end`.
    await inReplyScope(session, { write: (data) => labelOutput(data, session.format, label) }, async () => {
      await dispatchLine(this.server, session, line);
      session.send(END);
    });
  }

  /** Logins and registrations wait their turn behind chat when many arrive at once. */
  deferred(session: Session, queue: InputQueue, item: InputItem): boolean { return this.gated(session, item) && this.entryGate.wait(queue); }

  /**
   * Whether a line goes through the entry gate: a session's lines until it has logged in, but for the
   * core's own commands that cost nothing (a /ping or /help typed while a wave is on answers at once).
   * A plugin listener's lines all do: the listener alone knows which of them log in.
   */
  private gated(session: Session, item: InputItem): boolean {
    if (session.user !== undefined) return false;
    if (session.listener || !('line' in item)) return !!session.listener;
    const split = splitLabel(item.line);
    const parsed = parseLine(split && 'line' in split ? split.line : item.line);
    return parsed.kind !== 'command' || !UNGATED.has(this.server.commands.find(parsed.name)?.name ?? '');
  }

  refuse(session: Session, why: 'queue-full' | 'abuse', item: InputItem): void {
    // A line-protocol line's label and the line it labels (a plugin protocol's lines are its own to read).
    const split = 'line' in item && !session.listener ? splitLabel(item.line) : undefined;
    const labeled = split && 'label' in split ? split : undefined;
    // Named like the line's own reply would be, so a client can tell which of its lines was dropped.
    const line = labeled?.line ?? ('line' in item ? item.line : undefined);
    const command = line !== undefined ? this.commandOf(line) : undefined;
    const refusal = event('error', {
      code: 'RATE_LIMITED',
      text: why === 'abuse' ? 'Too many lines; disconnecting.' : 'Too many lines at once; this one was dropped. Slow down.',
      ...(command ? { command } : {}),
    });
    // The refusal is the line's whole reply: labeled and closed like any other (a plugin's protocol answers its own).
    const spec = session.listener?.spec;
    if (spec?.refused) {
      try { spec.refused(session, item, refusal); } catch (err) { this.server.log.error(`session ${session.id}: a plugin listener failed on a refused line`, err); }
    } else if (labeled) this.sendLabeled(session, labeled.label, refusal, END);
    else session.send(refusal);
    if (why === 'abuse') {
      this.server.log.warn(`session ${session.id} (${session.address}) flooding; disconnecting`);
      this.server.closeSession(session, 'flood');
    }
  }

  private sendLabeled(session: Session, label: string, ...events: ServerEvent[]): void {
    for (const e of events) session.write(labelOutput(this.server.renderer.encode(e, session.format), session.format, label));
  }

  /** The command a line would run, as its error reply names it (a plain line's errors name none). */
  private commandOf(line: string): string | undefined {
    const parsed = parseLine(line);
    if (parsed.kind !== 'command') return undefined;
    return this.server.commands.find(parsed.name)?.name ?? parsed.name;
  }
}
