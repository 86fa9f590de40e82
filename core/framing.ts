/**
 * Splits a byte stream into lines (docs/protocol.md, "Connecting and framing"): LF ends a line, a CR right before it is dropped,
 * a line longer than the limit is reported once and discarded up to the next LF, and a line that is
 * not valid UTF-8 is reported and discarded. Memory held is bounded by the limit.
 */
export type Frame =
  | { kind: 'line'; line: string }
  | { kind: 'error'; code: 'LINE_TOO_LONG' | 'BAD_ENCODING'; bytes: number };

const LF = 0x0a;
const CR = 0x0d;
// Decoding a whole line at once is stateless, so every connection shares one decoder (each one costs memory).
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class LineDecoder {
  /** The unfinished line's pieces (made only when a line spans chunks: most lines come whole). */
  private parts?: Buffer[];
  private size = 0;
  private discarding = false;
  private discarded = 0;
  /** The chunk being framed, and how far: frames are taken one at a time, so a caller can bound its work. */
  private chunk?: Buffer;
  private start = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Feed a chunk; returns every complete frame it finished. */
  push(chunk: Buffer): Frame[] {
    this.feed(chunk);
    const frames: Frame[] = [];
    for (let f = this.next(); f; f = this.next()) frames.push(f);
    return frames;
  }

  /** Add a chunk to frame; `next` takes its frames. */
  feed(chunk: Buffer): void {
    this.chunk = this.chunk && this.start < this.chunk.length ? Buffer.concat([this.chunk.subarray(this.start), chunk]) : chunk;
    this.start = 0;
  }

  /** Whether bytes fed are not framed yet (`next` stopped being called before they were). */
  get holding(): boolean { return this.chunk !== undefined && this.start < this.chunk.length; }

  /** The next complete frame of what was fed, or undefined once it all is framed or held for a line to finish. */
  next(): Frame | undefined {
    const chunk = this.chunk;
    while (chunk && this.start < chunk.length) {
      const start = this.start;
      const lf = chunk.indexOf(LF, start);
      const end = lf === -1 ? chunk.length : lf;
      if (this.discarding) {
        this.discarded += end - start;
      } else if (lf !== -1 && this.size === 0) {
        // A whole line within this chunk: no copy. (Too long counts its CR, as when it comes in pieces.)
        this.start = lf + 1;
        return end - start > this.maxLineBytes + 1
          ? { kind: 'error', code: 'LINE_TOO_LONG', bytes: end - start }
          : this.frame(chunk.subarray(start, end));
      } else if (end > start) {
        (this.parts ??= []).push(chunk.subarray(start, end));
        this.size += end - start;
        // One byte of slack: a CR before the LF is not part of the line.
        if (this.size > this.maxLineBytes + 1) {
          this.discarding = true;
          this.discarded = this.size;
          this.parts = undefined;
          this.size = 0;
        }
      }
      if (lf === -1) break;
      this.start = lf + 1;
      return this.finishLine();
    }
    this.chunk = undefined;
    this.start = 0;
    return undefined;
  }

  /** Bytes held for an unfinished line. */
  get pending(): number { return this.size; }
  private finishLine(): Frame {
    if (this.discarding) {
      const bytes = this.discarded;
      this.discarding = false;
      this.discarded = 0;
      return { kind: 'error', code: 'LINE_TOO_LONG', bytes };
    }
    const parts = this.parts ?? [];
    const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, this.size);
    this.parts = undefined;
    this.size = 0;
    return this.frame(buf);
  }

  private frame(line: Buffer): Frame {
    const buf = line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
    if (buf.length > this.maxLineBytes) return { kind: 'error', code: 'LINE_TOO_LONG', bytes: buf.length };
    try {
      return { kind: 'line', line: utf8.decode(buf) };
    } catch {
      return { kind: 'error', code: 'BAD_ENCODING', bytes: buf.length };
    }
  }
}
