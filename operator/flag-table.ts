import type { ParseArgsConfig } from 'node:util';
import type { z } from 'zod';

/**
 * One command-line flag, written once: its name, how it is parsed, how its value is validated,
 * where its value comes from when it is absent, and how `--help` describes it.
 */
export interface Flag {
  /** The long name without dashes, e.g. `tls-cert-file`. */
  readonly name: string;
  /** A string flag takes a value; a boolean flag is a switch that `--no-<name>` turns off. */
  readonly type: 'string' | 'boolean';
  /** What `--help` shows after a string flag, e.g. `<file>`. */
  readonly arg?: string;
  /** Validates (and may transform) the raw value: a string, a boolean, or undefined. */
  readonly schema: z.ZodType;
  /** The environment variable read when the flag is absent. */
  readonly env?: string;
  /** The raw value used when neither the flag nor `env` is set; the schema still checks it. */
  readonly default?: string | boolean;
  /** One or more sentences for `--help`, without the default. */
  readonly help: string;
  /** How `--help` states the default when it is not just `env` and `default`. */
  readonly defaultHelp?: string;
}

export type FlagTable = Readonly<Record<string, Flag>>;

/** The zod shape of a table: each key's schema. */
export type ShapeOf<T extends FlagTable> = { [K in keyof T]: T[K]['schema'] };

export function shapeOf<T extends FlagTable>(table: T): ShapeOf<T> {
  return Object.fromEntries(
    Object.entries(table).map(([key, flag]) => [key, flag.schema]),
  ) as ShapeOf<T>;
}

/** The options of `node:util` `parseArgs` for a table, plus `-h, --help`. */
export function parseArgsOptions(table: FlagTable): NonNullable<ParseArgsConfig['options']> {
  return {
    ...Object.fromEntries(Object.values(table).map((flag) => [flag.name, { type: flag.type }])),
    help: { type: 'boolean', short: 'h' },
  };
}

/** The raw input of the schema: each flag's parsed value, else its environment variable, else its default. */
export function rawValues(
  table: FlagTable,
  parsed: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | boolean | undefined> {
  return Object.fromEntries(
    Object.entries(table).map(([key, flag]) => {
      const given = parsed[flag.name];
      const value = Array.isArray(given) ? given.at(-1) : given;
      return [key, value ?? (flag.env === undefined ? undefined : env[flag.env]) ?? flag.default];
    }),
  );
}

/** `--name` of the flag behind a key of the table (for error messages). */
export function flagOf(table: FlagTable, key: string): string | undefined {
  const flag = table[key];
  return flag === undefined ? undefined : `--${flag.name}`;
}

/** The flag as `--help` lists it: a switch on by default is shown as its `--no-` form. */
function synopsis(flag: Flag): string {
  if (flag.type === 'boolean')
    return flag.default === true ? `--no-${flag.name}` : `--${flag.name}`;
  return `--${flag.name} ${flag.arg ?? '<value>'}`;
}

function defaultText(flag: Flag): string | undefined {
  if (flag.defaultHelp !== undefined) return flag.defaultHelp;
  if (flag.type === 'boolean') return undefined;
  const sources = [
    ...(flag.env === undefined ? [] : [`$${flag.env}`]),
    ...(flag.default === undefined ? [] : [String(flag.default)]),
  ];
  return sources.length === 0 ? undefined : sources.join(' or ');
}

/** Greedy word wrap of `text` into lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line.length === 0 ? word : `${line} ${word}`;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

const INDENT = 2;
const DESCRIPTION_COLUMN = 29;
const WIDTH = 97;

/** The `Options:` block of `--help`: one entry per flag, in table order, then `-h, --help`. */
export function optionsHelp(table: FlagTable): string {
  const entries: [string, string][] = Object.values(table).map((flag) => {
    const stated = defaultText(flag);
    return [synopsis(flag), stated === undefined ? flag.help : `${flag.help} (default: ${stated})`];
  });
  entries.push(['-h, --help', 'show this help']);
  const pad = ' '.repeat(DESCRIPTION_COLUMN);
  return entries
    .map(([left, description]) => {
      const head = `${' '.repeat(INDENT)}${left}`;
      const lines = wrap(description, WIDTH - DESCRIPTION_COLUMN);
      const first =
        head.length < DESCRIPTION_COLUMN - 1
          ? [`${head.padEnd(DESCRIPTION_COLUMN)}${lines.shift() ?? ''}`]
          : [head];
      return [...first, ...lines.map((line) => `${pad}${line}`)].join('\n');
    })
    .join('\n');
}
