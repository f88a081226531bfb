/**
 * Output formats of the CLI (`-f table|json|yaml|value`) and column selection (`-c COLUMN`), like the OpenStack
 * client: a list prints one row per item under its column headers (JSON/YAML objects keyed by header), a record
 * prints Field/Value rows (JSON/YAML: the record itself). JSON and YAML output is exactly the data; `value` prints
 * the values only (a row's values separated by spaces, a record's one per line).
 */
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { CliError } from './io.js';

/** Supported formats. */
export type OutputFormat = 'table' | 'json' | 'yaml' | 'value';

/** The formats `-f` accepts. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'yaml', 'value'];

/** Checks a `-f` value. @throws CliError (usage, exit 2) for unknown formats. */
export function parseFormat(value: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw new CliError(`-f/--format: unknown format "${value}" (allowed: ${OUTPUT_FORMATS.join(', ')})`, 2);
}

/** A cell as text (objects as JSON, null as None like the OpenStack client). */
function cell(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** A value as YAML text for a table cell (how `openstack stack show` prints parameters, outputs, links). */
export function yamlCell(v: unknown): string {
  if (v === null || v === undefined || typeof v !== 'object') return cell(v);
  return stringify(v).trimEnd();
}

/** An ASCII table. */
export function table(headers: string[], rows: unknown[][]): string {
  const text = rows.map((r) => r.map(cell));
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...text.map((r) => Math.max(...(r[i] ?? '').split('\n').map((l) => l.length)))),
  );
  const line = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const row = (cells: string[]) => {
    const split = cells.map((c) => c.split('\n'));
    const height = Math.max(1, ...split.map((s) => s.length));
    const out: string[] = [];
    for (let k = 0; k < height; k++) {
      out.push(`| ${split.map((s, i) => (s[k] ?? '').padEnd(widths[i]!)).join(' | ')} |`);
    }
    return out.join('\n');
  };
  return [line, row(headers), line, ...text.map(row), ...(text.length ? [line] : [])].join('\n');
}

/** Folds a name for lenient column matching: `Stack Status`, `stack_status` and `stack-status` are the same. */
function fold(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '_');
}

/**
 * The columns `-c` keeps, in their display order (as the OpenStack client): each `-c` value names a column by
 * its header or its field name, case and `_`/space/`-` insensitive. No selection keeps every column.
 * @throws CliError (usage, exit 2) naming the unknown columns and the available ones.
 */
export function selectColumns<T extends [string, string]>(
  columns: readonly T[],
  wanted: readonly string[],
): T[] {
  if (wanted.length === 0) return [...columns];
  const unknown = wanted.filter((w) => !columns.some(([h, k]) => fold(h) === fold(w) || fold(k) === fold(w)));
  if (unknown.length > 0) {
    throw new CliError(
      `-c/--column: no column ${unknown.map((u) => `"${u}"`).join(', ')} (available: ${columns
        .map(([h]) => h)
        .join(', ')})`,
      2,
    );
  }
  return columns.filter(([h, k]) => wanted.some((w) => fold(h) === fold(w) || fold(k) === fold(w)));
}

/**
 * Renders a list of records with the given columns (`[header, key]`), keeping only the `select`ed columns
 * (see {@link selectColumns}).
 */
export function formatList(
  format: OutputFormat,
  columns: [string, string][],
  items: Record<string, unknown>[],
  select: readonly string[] = [],
): string {
  const shown = selectColumns(columns, select);
  if (format === 'json' || format === 'yaml') {
    const data = items.map((i) => Object.fromEntries(shown.map(([h, k]) => [h, i[k] ?? null])));
    return format === 'json' ? JSON.stringify(data, null, 2) : stringify(data).trimEnd();
  }
  const rows = items.map((i) => shown.map(([, k]) => i[k]));
  if (format === 'value') return rows.map((r) => r.map(cell).join(' ')).join('\n');
  return table(
    shown.map(([h]) => h),
    rows,
  );
}

/**
 * Renders one record as Field/Value rows (JSON/YAML: the record), keeping only the `select`ed fields.
 * `tableCells` pre-formats values for the table (e.g. {@link yamlCell} for nested data).
 */
export function formatRecord(
  format: OutputFormat,
  record: Record<string, unknown>,
  select: readonly string[] = [],
  tableCells?: (key: string, value: unknown) => unknown,
): string {
  const keys = selectColumns(
    Object.keys(record).map((k): [string, string] => [k, k]),
    select,
  ).map(([k]) => k);
  const shown = Object.fromEntries(keys.map((k) => [k, record[k]]));
  if (format === 'json') return JSON.stringify(shown, null, 2);
  if (format === 'yaml') return stringify(shown).trimEnd();
  if (format === 'value') return Object.values(shown).map(cell).join('\n');
  return table(
    ['Field', 'Value'],
    Object.entries(shown).map(([k, v]) => [k, tableCells ? tableCells(k, v) : v]),
  );
}

/**
 * The output format of a command whose natural output is not a table (`template show` is YAML, `abandon` is
 * JSON…): the `-f` given on the command line, else `fallback`.
 */
export function formatOr(cmd: Command, fallback: OutputFormat): OutputFormat {
  const source = cmd.getOptionValueSourceWithGlobals('format');
  const value = cmd.optsWithGlobals<{ format?: string }>().format;
  return source === undefined || source === 'default' || value === undefined ? fallback : parseFormat(value);
}

/** Whether `-f` was given on the command line. */
export function formatGiven(cmd: Command): boolean {
  const source = cmd.getOptionValueSourceWithGlobals('format');
  return source !== undefined && source !== 'default';
}
