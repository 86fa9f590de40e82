/**
 * A plugin's options, declared once: each setting's default and the values it takes (its documentation is
 * the comment above it).
 * The host lays the config file's section over the defaults (`mergeChecked`: unknown keys, wrong types),
 * then `validate` checks each setting's range and the declaration's rules between settings, at load and at
 * rehash alike, with a text naming the setting (`plugins.channels.replay must be a whole number ≥ 0, not -1`).
 */

/** One setting: its default, and a check that returns the whole error text (naming `path`) or nothing. */
export interface Option<T> {
  readonly default: T;
  check(value: T, path: string): string | undefined;
}

type Shape = Record<string, Option<unknown>>;
export type ValuesOf<S extends Shape> = { [K in keyof S]: S[K] extends Option<infer T> ? T : never };

export interface Options<C extends object> {
  /** The settings with their defaults: `ctx.config` when the config file says nothing. */
  readonly defaults: C;
  /** Throws an OptionError naming the first bad setting (`path` is the section, e.g. `plugins.channels`). */
  validate(config: C, path: string): void;
}

export class OptionError extends Error {}

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

interface Range {
  min?: number;
  max?: number;
  /** The text after the setting's name when the value is out of range, where a shorter one says it better. */
  error?: string;
}

/** A whole number within [min, max]. */
export function int(o: Range & { default: number }): Option<number> {
  return {
    default: o.default,
    check: (v, path) => (Number.isInteger(v) && inRange(v, o) ? undefined : `${path} ${o.error ?? `must be a whole number${rangeText(o)}, not ${show(v)}`}`),
  };
}

/** A number (fractions allowed) within [min, max]. */
export function num(o: Range & { default: number }): Option<number> {
  return {
    default: o.default,
    check: (v, path) => (Number.isFinite(v) && inRange(v, o) ? undefined : `${path} ${o.error ?? `must be a number${rangeText(o)}, not ${show(v)}`}`),
  };
}

export function bool(def: boolean): Option<boolean> {
  return { default: def, check: () => undefined };
}

/** A string; `valid` returns the error text for a value it refuses. */
export function str(def: string, o: { valid?: (v: string, path: string) => string | undefined } = {}): Option<string> {
  return { default: def, check: (v, path) => o.valid?.(v, path) };
}

/** One of a few strings. */
export function oneOf<const T extends string>(values: readonly T[], def: NoInfer<T>): Option<T> {
  return {
    default: def,
    check: (v, path) => (values.includes(v) ? undefined : `${path} must be ${values.map((x) => JSON.stringify(x)).join(' or ')}, not ${show(v)}`),
  };
}

/** A list; `item` says what is wrong with one entry (`"general" is not a channel name`), shown after the setting's name. */
export function list<T>(def: T[], o: { item?: (v: T) => string | undefined } = {}): Option<T[]> {
  return {
    default: def,
    check: (v, path) => {
      for (const x of v) {
        const bad = o.item?.(x);
        if (bad !== undefined) return `${path}: ${bad}`;
      }
      return undefined;
    },
  };
}

/** A value checked only by the declaration's rules (a record of names, say). */
export function value<T>(def: T): Option<T> {
  return { default: def, check: () => undefined };
}

/** A group of settings (`plugins.bots.limits.timeoutMs`). */
export function group<S extends Shape>(shape: S): Option<ValuesOf<S>> {
  const inner = declare(shape);
  return { default: inner.defaults, check: (v, path) => inner.firstError(v, path) };
}

/**
 * Declare a plugin's options. `rules` checks what one setting alone cannot (one setting against another)
 * and returns the whole error text, or nothing.
 */
export function options<S extends Shape>(shape: S, rules?: (config: ValuesOf<S>, path: string) => string | undefined): Options<ValuesOf<S>> {
  const { defaults, firstError } = declare(shape);
  return {
    defaults,
    validate(config, path) {
      const bad = firstError(config, path) ?? rules?.(config, path);
      if (bad !== undefined) throw new OptionError(bad);
    },
  };
}

function declare<S extends Shape>(shape: S) {
  const defaults = {} as Record<string, unknown>;
  for (const [key, opt] of Object.entries(shape)) defaults[key] = opt.default;
  const firstError = (config: ValuesOf<S>, path: string): string | undefined => {
    for (const [key, opt] of Object.entries(shape)) {
      const bad = opt.check((config as Record<string, unknown>)[key], `${path}.${key}`);
      if (bad !== undefined) return bad;
    }
    return undefined;
  };
  return { defaults: defaults as ValuesOf<S>, firstError };
}

function inRange(v: number, o: Range): boolean {
  return (o.min === undefined || v >= o.min) && (o.max === undefined || v <= o.max);
}

function rangeText(o: Range): string {
  if (o.min !== undefined && o.max !== undefined) return ` from ${o.min} to ${o.max}`;
  if (o.min !== undefined) return ` ≥ ${o.min}`;
  if (o.max !== undefined) return ` ≤ ${o.max}`;
  return '';
}
