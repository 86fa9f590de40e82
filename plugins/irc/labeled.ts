import type { ReplyFilter } from '../../core/index.js';
import { escapeTag, ircLine } from './message.js';

/** IRCv3 labeled-response: a label is at most 64 bytes; a longer one is not echoed (the command still runs). */
const MAX_LABEL_BYTES = 64;
const CRLF = '\r\n';
let batches = 0;

/** Whether a command's `label` tag is to be answered: the client negotiated labeled-response and batch. */
export function wantsLabel(label: string | undefined, caps: ReadonlySet<string>): label is string {
  return label !== undefined && label !== '' && Buffer.byteLength(label) <= MAX_LABEL_BYTES
    && caps.has('labeled-response') && caps.has('batch');
}

/** A tag added first to a line's tags (or as its only one). */
function withTag(tag: string, line: string): string {
  return line.startsWith('@') ? `@${tag};${line.slice(1)}` : `@${tag} ${line}`;
}

/** Whether a line already belongs to a batch (one nested in the reply's: a join's playback, a CHATHISTORY answer). */
function inABatch(line: string): boolean {
  if (!line.startsWith('@')) return false;
  const end = line.indexOf(' ');
  return line.slice(1, end < 0 ? line.length : end).split(';').some((t) => t.startsWith('batch='));
}

/**
 * The reply to one labeled command (IRCv3 labeled-response), as the command writes it (ctx.sessions.reply):
 * one line carries the `label` tag; several come in a `labeled-response` batch whose start carries it (a
 * batch of the reply's own, a join's playback say, nests in it); none gets a labeled ACK. Only the first
 * line is held back, until the next shows a batch is needed or the command ends: nothing more is buffered.
 */
export class LabeledReply implements ReplyFilter {
  private readonly tag: string;
  private held?: string;
  private ref?: string;

  constructor(label: string, private readonly server: string) {
    this.tag = `label=${escapeTag(label)}`;
  }

  write(data: string | Buffer): string {
    const lines = (typeof data === 'string' ? data : data.toString('utf8')).split(CRLF).filter((l) => l !== '');
    if (lines.length === 0) return '';
    const out: string[] = [];
    if (this.ref === undefined) {
      if (this.held === undefined && lines.length === 1) { this.held = lines[0]; return ''; }
      this.ref = `lr${++batches}`;
      out.push(withTag(this.tag, ircLine(this.server, 'BATCH', [`+${this.ref}`, 'labeled-response'])));
      if (this.held !== undefined) out.push(this.inBatch(this.held));
      this.held = undefined;
    }
    for (const line of lines) out.push(this.inBatch(line));
    return out.join(CRLF) + CRLF;
  }

  /** What closes the reply once the command is done: the batch's end, the one line labeled, or an ACK. */
  end(): string {
    if (this.ref !== undefined) return ircLine(this.server, 'BATCH', [`-${this.ref}`]) + CRLF;
    if (this.held !== undefined) return withTag(this.tag, this.held) + CRLF;
    return withTag(this.tag, ircLine(this.server, 'ACK', [])) + CRLF;
  }

  private inBatch(line: string): string {
    return inABatch(line) ? line : withTag(`batch=${this.ref}`, line);
  }
}
