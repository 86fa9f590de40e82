/**
 * What one client line means (docs/protocol.md, "What the client sends"): a command with its arguments, a message to the current
 * target, or nothing (a blank line). Pure, so it is tested by tables.
 */
export type ParsedLine =
  | { kind: 'blank' }
  | { kind: 'text'; text: string }
  | { kind: 'command'; name: string; args: CommandArgs };

export class CommandArgs {
  /** The arguments split on spaces. */
  readonly list: string[];
  private readonly starts: number[];

  constructor(private readonly raw: string) {
    this.list = [];
    this.starts = [];
    const re = /[^ ]+/g;
    for (let m = re.exec(raw); m; m = re.exec(raw)) {
      this.list.push(m[0]);
      this.starts.push(m.index);
    }
  }

  get length(): number { return this.list.length; }
  get(i: number): string | undefined { return this.list[i]; }

  /** The rest of the line verbatim from argument i on (for `<text…>` parameters); '' when there is none. */
  rest(i: number): string {
    const start = this.starts[i];
    return start === undefined ? '' : this.raw.slice(start);
  }
}

export function parseLine(line: string): ParsedLine {
  if (line.trim() === '') return { kind: 'blank' };
  if (line.startsWith('//')) return { kind: 'text', text: line.slice(1) };
  if (!line.startsWith('/')) return { kind: 'text', text: line };
  const space = line.indexOf(' ');
  const name = (space === -1 ? line.slice(1) : line.slice(1, space)).toLowerCase();
  const raw = space === -1 ? '' : line.slice(space + 1);
  return { kind: 'command', name, args: new CommandArgs(raw) };
}

/** Durations as in docs/protocol.md ("Names"): `30s`, `10m`, `2h`, `7d`. Returns milliseconds, or undefined if it is not one. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d{1,9})([smhdw])$/i.exec(text);
  if (!m) return undefined;
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2]!.toLowerCase() as 's' | 'm' | 'h' | 'd' | 'w'];
  return Number(m[1]) * unit;
}

const NAME = /^[A-Za-z0-9_.-]{2,32}$/;

/** User names: 2–32 of letters, digits, `_`, `-`, `.` (docs/protocol.md, "Names"). */
export function isValidUserName(name: string): boolean { return NAME.test(name); }
/** The form names are compared in (user and channel names alike): case-insensitive. */
export function nameKey(name: string): string { return name.toLowerCase(); }
