import type { ChatMessage, EventOf, EventType, ServerEvent } from './events.js';
import type { Session } from './session.js';

/** A session's wire format: the line protocol's two, or one a plugin registered (ctx.format, e.g. 'irc'). */
export type Format = 'text' | 'json' | (string & {});

/**
 * A wire format a plugin registers (ctx.format) for the sessions of its listener (ctx.listen). `encode` is
 * called once per event however many sessions of the format receive it; `adapt`, when given, turns that
 * into what one receiver gets (its nick in a numeric, the tags it asked for). An empty string sends nothing.
 * `variant` says which receivers get the same form: adapt then runs once per variant of an event, and
 * they all get the same bytes (written, and concatenated by the outbox, once); undefined: adapt runs for
 * that session alone. Without `variant`, adapt runs for every session.
 */
export interface WireFormat {
  encode(event: ServerEvent): string;
  adapt?(encoded: string, event: ServerEvent, session: Session): string;
  variant?(event: ServerEvent, session: Session): number | undefined;
}

/** Renders one event as text lines (without terminators). Plugins register renderers for their own events. */
export type TextRenderer<K extends EventType = EventType> = (event: EventOf<K>) => string | string[];

/**
 * Control characters (C0, DEL, C1), bidirectional controls (embeddings, overrides, isolates and marks: the
 * "Trojan Source" characters), the Unicode line and paragraph separators (a new line to some clients) and
 * invisible characters (zero-width space, word joiner and invisible operators, BOM, the tag characters
 * U+E0000–E007F that can carry hidden text) are made visible, so one user's text can never move another
 * user's cursor, recolour their terminal, reorder or hide what follows, or pass for a line of its own.
 * ZWNJ and ZWJ (U+200C, U+200D) are left: emoji sequences and several scripts need them.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u{e0000}-\u{e007f}]/gu;
export function inert(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    if (code < 0x20) return '^' + String.fromCharCode(code + 0x40);
    if (code === 0x7f) return '^?';
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** JSON.stringify leaves U+2028, U+2029 and NEL (U+0085) raw; clients that split lines on them would cut a line. */
const JSON_BREAKS = /[\u0085\u2028\u2029]/g;
const HAS_JSON_BREAK = /[\u0085\u2028\u2029]/;
function escapeBreak(c: string): string { return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`; }

function clock(ts: string): string {
  return ts.slice(0, 16).replace('T', ' ');
}

export function messageLine(m: ChatMessage, withTime = false): string {
  const where = m.channel ?? `${m.from} -> ${m.to}`;
  const time = withTime || m.offline ? ` ${clock(m.ts)}` : '';
  const name = m.bot ? `${m.from}(bot)` : m.from;
  // In a direct message the sender is already named in the brackets.
  const body = m.kind === 'action' ? `* ${name} ${m.text}` : m.kind === 'notice' ? `-${name}- ${m.text}` : m.channel ? `<${name}> ${m.text}` : m.text;
  return `[${where}${time}] ${body}`;
}

const star = (s: string) => `* ${s}`;
const withText = (base: string, text: string | undefined) => (text ? `${base}: ${text}` : base);

/** Usages up to this long share one column; a longer one has the line to itself, its summary below. */
const USAGE_COLUMN_MAX = 36;

/** One command's help, `usage — summary`: /help <command>, !help <command>, a bot's command list in a DM. */
export function helpLine(c: { usage: string; summary: string }): string {
  return `${c.usage} — ${c.summary}`;
}

/** The /help list as two columns: every summary starts in the same column, however long a usage is. */
export function helpColumns(commands: readonly { usage: string; summary: string }[]): string[] {
  const width = Math.min(USAGE_COLUMN_MAX, Math.max(0, ...commands.map((c) => c.usage.length)));
  return commands.flatMap((c) => c.usage.length <= width
    ? [`  ${c.usage.padEnd(width)}  ${c.summary}`]
    : [`  ${c.usage}`, `  ${' '.repeat(width)}  ${c.summary}`]);
}

/** The text rendering of the core's own events; plugins register theirs. Unknown types fall back to a generic line. */
const builtin: { [K in EventType]?: TextRenderer<K> } = {
  welcome: (e) => star(`${e.server} ${e.version}. ${e.text}`),
  ok: (e) => star(e.text || 'OK.'),
  error: (e) => `! ${e.code}: ${e.text}`,
  help: (e) => e.commands.length === 1
    ? [star(helpLine(e.commands[0]!))]
    : [star('Commands:'), ...helpColumns(e.commands).map(star)],
  pong: (e) => star(e.token ? `pong ${e.token}` : 'pong'),
  bye: (e) => star(e.text || 'Bye.'),
  message: (e) => messageLine(e),
  notice: (e) => star(`[${e.from}] ${e.text}`),
  shutdown: (e) => star(withText('Server shutting down', e.text)),
  catchup: (e) => star(e.text),
  end: () => star('end'),
};

function generic(e: ServerEvent): string {
  const { type, ...rest } = e as { type: string } & Record<string, unknown>;
  const parts = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return star(`${type}${parts.length ? ' ' + parts.join(' ') : ''}`);
}

export class Renderer {
  private readonly extra = new Map<string, TextRenderer[]>();
  private readonly formats = new Map<string, WireFormat>();

  /** Register a wire format by name; returns the function that removes it. */
  addFormat(name: string, format: WireFormat): () => void {
    if (name === 'text' || name === 'json' || this.formats.has(name)) throw new Error(`format ${name} is already registered`);
    this.formats.set(name, format);
    return () => { if (this.formats.get(name) === format) this.formats.delete(name); };
  }

  /** A registered wire format (not text or json). */
  format(name: Format): WireFormat | undefined { return this.formats.get(name); }

  /** An event in any format, as every receiver of that format shares it. */
  encode(e: ServerEvent, format: Format): string {
    if (format === 'json') return this.json(e);
    if (format === 'text') return this.text(e);
    const wire = this.formats.get(format);
    if (!wire) return this.text(e);
    try { return wire.encode(e); } catch { return ''; }
  }

  /** Register a text renderer for an event type; returns the function that removes it. */
  add<K extends EventType>(type: K, fn: TextRenderer<K>): () => void {
    const list = this.extra.get(type) ?? [];
    list.push(fn as unknown as TextRenderer);
    this.extra.set(type, list);
    return () => {
      const i = list.indexOf(fn as unknown as TextRenderer);
      if (i >= 0) list.splice(i, 1);
    };
  }

  text(e: ServerEvent): string {
    const own = this.extra.get(e.type);
    const fn = (own && own[own.length - 1]) ?? (builtin[e.type] as TextRenderer | undefined);
    let out: string | string[];
    try { out = fn ? fn(e) : generic(e); } catch { out = generic(e); }
    const lines = typeof out === 'string' ? [out] : out;
    return lines.map(inert).join('\n') + '\n';
  }

  json(e: ServerEvent): string {
    const json = JSON.stringify(e);
    // Outside strings JSON has no such characters, so replacing them anywhere is safe.
    return (HAS_JSON_BREAK.test(json) ? json.replace(JSON_BREAKS, escapeBreak) : json) + '\n';
  }
}

/** An event in one plugin format: its shared encoding, and its adapted forms by variant. */
interface PluginForm {
  format: string;
  form: string;
  wire: WireFormat | undefined;
  bytes?: Buffer;
  variants?: Map<number, Buffer>;
  lastKey?: number;
  lastBytes?: Buffer;
}

/** An event encoded lazily, at most once per format, however many sessions receive it. */
export class Encoded {
  private textForm?: string;
  private jsonForm?: string;
  private textBytes?: Buffer;
  private jsonBytes?: Buffer;
  /** Plugin formats (ctx.format): rare, so kept apart from the two fields above. */
  private other?: Map<string, PluginForm>;
  /** The plugin format last asked for: a fan-out asks for the same one for every session of it. */
  private last?: PluginForm;
  constructor(readonly event: ServerEvent, private readonly renderer: Renderer) {}

  private plugin(format: string): PluginForm {
    if (this.last?.format === format) return this.last;
    const other = (this.other ??= new Map());
    let entry = other.get(format);
    if (!entry) {
      entry = { format, form: this.renderer.encode(this.event, format), wire: this.renderer.format(format) };
      other.set(format, entry);
    }
    return (this.last = entry);
  }

  /** The encoded lines as UTF-8 bytes, converted once per format (sockets then need no encoding of their own). */
  bytes(format: Format): Buffer {
    if (format === 'json') return (this.jsonBytes ??= Buffer.from(this.as('json')));
    if (format === 'text') return (this.textBytes ??= Buffer.from(this.as('text')));
    const entry = this.plugin(format);
    return (entry.bytes ??= Buffer.from(entry.form));
  }

  as(format: Format): string {
    if (format === 'json') return (this.jsonForm ??= this.renderer.json(this.event));
    if (format === 'text') return (this.textForm ??= this.renderer.text(this.event));
    return this.plugin(format).form;
  }

  /** What one session is sent: its format's shared encoding, adapted to it when the format says so. */
  for(session: Session): string | Buffer {
    const format = session.format;
    if (format === 'text' || format === 'json') return this.bytes(format);
    const entry = this.plugin(format);
    const wire = entry.wire;
    if (!wire?.adapt) return (entry.bytes ??= Buffer.from(entry.form));
    try {
      const key = wire.variant?.(this.event, session);
      if (key === undefined) return wire.adapt(entry.form, this.event, session);
      // Most receivers of a fan-out share one variant: the last one is kept at hand.
      if (key === entry.lastKey) return entry.lastBytes!;
      const variants = (entry.variants ??= new Map());
      let bytes = variants.get(key);
      if (!bytes) { bytes = Buffer.from(wire.adapt(entry.form, this.event, session)); variants.set(key, bytes); }
      entry.lastKey = key;
      entry.lastBytes = bytes;
      return bytes;
    } catch { return ''; }
  }
}
