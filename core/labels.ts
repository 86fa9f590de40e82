/**
 * Request labels (docs/protocol.md, "Request labels"): a line may start with `@label=<label> `; every line of
 * its reply then carries the label, and an `end` line closes the reply. Pure, so it is tested by tables.
 */

const PREFIX = '@label=';
/** 1–64 of letters, digits, `.`, `_`, `:` and `-`: nothing that needs escaping in either format. */
const LABEL = /^[A-Za-z0-9._:-]{1,64}$/;

export type LabeledLine =
  /** The line carries a label: run `line` (the rest, which may be blank) and label its reply. */
  | { label: string; line: string }
  /** The line starts with the prefix but its label breaks the rules: it is not run. */
  | { bad: string };

/**
 * A line's label. Undefined when the line has none: it is run as it is (a chat line such as "@bob hi"
 * stays a message; only the exact prefix `@label=` is taken for a label).
 */
export function splitLabel(line: string): LabeledLine | undefined {
  if (!line.startsWith(PREFIX)) return undefined;
  const space = line.indexOf(' ', PREFIX.length);
  const label = space < 0 ? line.slice(PREFIX.length) : line.slice(PREFIX.length, space);
  if (!LABEL.test(label)) return { bad: label };
  return { label, line: space < 0 ? '' : line.slice(space + 1).replace(/^ +/, '') };
}

/**
 * Encoded output for a line-protocol session, labeled: in text each line starts with `@label=<label> `;
 * in json each object gets a `"label"` field, last (a label needs no escaping: see LABEL).
 */
export function labelOutput(data: string | Buffer, format: string, label: string): string {
  const text = typeof data === 'string' ? data : data.toString('utf8');
  const lines = text.split('\n');
  // The last piece is what follows the final LF: empty for whole lines.
  for (let i = 0; i < lines.length - 1; i++) {
    const line = lines[i]!;
    if (format === 'json') {
      if (line.endsWith('}')) lines[i] = `${line.slice(0, -1)},"label":"${label}"}`;
    } else {
      lines[i] = `${PREFIX}${label} ${line}`;
    }
  }
  return lines.join('\n');
}
