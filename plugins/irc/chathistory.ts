import type { ChatMessage, ServerEvent, Session } from '../../core/index.js';
import type { Link } from './link.js';
import { privmsg } from './format.js';
import { ircLine } from './message.js';

/** The most messages one CHATHISTORY request returns (ISUPPORT CHATHISTORY). */
export const CHATHISTORY_MAX = 100;

/** A message id for a timestamp: ids begin with their time (core/ids.ts), so they bound a time as well. */
function idAt(iso: string): string | undefined {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && ms >= 0 ? ms.toString(36).padStart(9, '0') + '0000' : undefined;
}

/** The id just before this one, so that `after=` it includes the message itself (AROUND). */
function justBefore(id: string): string {
  const ms = parseInt(id.slice(0, 9), 36);
  const seq = parseInt(id.slice(9), 36);
  return seq > 0 ? id.slice(0, 9) + (seq - 1).toString(36).padStart(4, '0') : (ms - 1).toString(36).padStart(9, '0') + 'zzzz';
}

let batches = 0;

/**
 * IRCv3 draft/chathistory, backed by Whiskr's /history (its access rules: a private channel to its members,
 * a conversation to the two in it). Every request gets exactly one answer: a batch (maybe empty) or a FAIL.
 */
export class ChatHistory {
  constructor(private readonly link: Link) {}

  async run(session: Session, params: string[]): Promise<void> {
    const [sub = '', target = '', a = '', b = '', c = ''] = params;
    const verb = sub.toUpperCase();
    const fail = (code: string, text: string) => this.link.write(session, ircLine(this.link.server, 'FAIL', ['CHATHISTORY', code, verb || '*', ...(target ? [target] : []), text]));
    try {
      if (verb === 'TARGETS') return this.batch(session, 'draft/chathistory-targets', undefined, []);
      if (!['LATEST', 'BEFORE', 'AFTER', 'AROUND', 'BETWEEN'].includes(verb)) return fail('INVALID_PARAMS', 'Unknown subcommand');
      if (!target || target === '*') return fail('INVALID_PARAMS', 'A target is needed');
      const limitText = verb === 'BETWEEN' ? c : b;
      const limit = Math.min(Number(limitText), CHATHISTORY_MAX);
      if (!Number.isInteger(limit) || limit < 1) return fail('INVALID_PARAMS', `The limit must be 1 to ${CHATHISTORY_MAX}`);
      const at = (sel: string): string | undefined | null => {
        if (sel === '*') return null;
        const m = /^(msgid|timestamp)=(.+)$/.exec(sel);
        if (!m) return undefined;
        return m[1] === 'msgid' ? (/^[0-9a-z]{13}$/.test(m[2]!) ? m[2]! : undefined) : idAt(m[2]!);
      };
      const from = at(a);
      if (from === undefined || (from === null && verb !== 'LATEST')) return fail('INVALID_PARAMS', 'Give msgid=<id> or timestamp=<time>');
      let messages: ChatMessage[];
      switch (verb) {
        case 'LATEST': {
          const page = await this.page(session, target, limit);
          if (!page) return fail('INVALID_TARGET', 'No such conversation');
          messages = from ? page.filter((m) => m.id > from) : page;
          break;
        }
        case 'BEFORE': case 'AFTER': {
          const page = await this.page(session, target, limit, `${verb.toLowerCase()}=${from}`);
          if (!page) return fail('INVALID_TARGET', 'No such conversation');
          messages = page;
          break;
        }
        case 'AROUND': {
          const before = await this.page(session, target, Math.floor(limit / 2), `before=${from}`);
          const after = await this.page(session, target, Math.ceil(limit / 2), `after=${justBefore(from!)}`);
          if (!before || !after) return fail('INVALID_TARGET', 'No such conversation');
          messages = [...before, ...after];
          break;
        }
        default: { // BETWEEN, either way round: the limit counts from the first reference, towards the second
          const to = at(b);
          if (!to) return fail('INVALID_PARAMS', 'Give msgid=<id> or timestamp=<time> for both bounds');
          const forward = from! < to;
          const page = await this.page(session, target, limit, forward ? `after=${from}` : `before=${from}`);
          if (!page) return fail('INVALID_TARGET', 'No such conversation');
          messages = page.filter((m) => (forward ? m.id < to : m.id > to));
        }
      }
      this.batch(session, 'chathistory', target, messages);
    } catch (err) {
      this.link.ctx.log.warn(`CHATHISTORY from session ${session.id} failed: ${(err as Error).message}`);
      fail('MESSAGE_ERROR', 'History is not available right now');
    }
  }

  /** A page of /history for the session, or undefined when the target is not one it may read. */
  private async page(session: Session, target: string, limit: number, bound = ''): Promise<ChatMessage[] | undefined> {
    if (limit < 1) return [];
    const replies: ServerEvent[] = await this.link.run(session, `/history ${target} ${limit} ${bound}`.trimEnd());
    const h = replies.find((e) => e.type === 'history');
    return h && h.type === 'history' ? h.messages : undefined;
  }

  /** Messages as a batch (for a client with `batch`; plain lines otherwise), tagged as it asked. */
  private batch(session: Session, type: string, target: string | undefined, messages: ChatMessage[]): void {
    const st = this.link.state(session);
    const ref = `ch${++batches}`;
    const useBatch = st.caps.has('batch');
    const lines = messages.map((m) => retag(privmsg(m, this.link.host), st.caps, useBatch ? ref : undefined));
    if (useBatch) {
      lines.unshift(ircLine(this.link.server, 'BATCH', [`+${ref}`, type, ...(target ? [target] : [])]));
      lines.push(ircLine(this.link.server, 'BATCH', [`-${ref}`]));
    }
    this.link.write(session, ...lines);
  }
}

/** A tagged PRIVMSG with the tags a session asked for, and the batch it belongs to. */
function retag(line: string, caps: ReadonlySet<string>, batch?: string): string {
  const sp = line.indexOf(' ');
  const tags = line.slice(1, sp).split(';').filter((t) => caps.has('message-tags')
    || (caps.has('server-time') && t.startsWith('time=')) || (caps.has('account-tag') && t.startsWith('account=')));
  if (batch) tags.unshift(`batch=${batch}`);
  return (tags.length ? `@${tags.join(';')} ` : '') + line.slice(sp + 1);
}
