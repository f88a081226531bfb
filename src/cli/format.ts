/**
 * Output formats of the CLI (`-f table|json|yaml|value`), like the OpenStack client.
 */
import { stringify } from 'yaml';

/** Supported formats. */
export type OutputFormat = 'table' | 'json' | 'yaml' | 'value';

/** Checks a `-f` value. @throws Error for unknown formats. */
export function parseFormat(value: string): OutputFormat {
  if (value === 'table' || value === 'json' || value === 'yaml' || value === 'value') return value;
  throw new Error(`unknown format "${value}" (use table, json, yaml or value)`);
}

/** A cell as text (objects as JSON, null as None like the OpenStack client). */
function cell(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
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

/** Renders a list of records with the given columns (`[header, key]`). */
export function formatList(
  format: OutputFormat,
  columns: [string, string][],
  items: Record<string, unknown>[],
): string {
  if (format === 'json') {
    return JSON.stringify(
      items.map((i) => Object.fromEntries(columns.map(([h, k]) => [h, i[k] ?? null]))),
      null,
      2,
    );
  }
  if (format === 'yaml') {
    return stringify(
      items.map((i) => Object.fromEntries(columns.map(([h, k]) => [h, i[k] ?? null]))),
    ).trimEnd();
  }
  const rows = items.map((i) => columns.map(([, k]) => i[k]));
  if (format === 'value') return rows.map((r) => r.map(cell).join(' ')).join('\n');
  return table(
    columns.map(([h]) => h),
    rows,
  );
}

/** Renders one record as Field/Value. */
export function formatRecord(format: OutputFormat, record: Record<string, unknown>): string {
  if (format === 'json') return JSON.stringify(record, null, 2);
  if (format === 'yaml') return stringify(record).trimEnd();
  if (format === 'value') return Object.values(record).map(cell).join('\n');
  return table(
    ['Field', 'Value'],
    Object.entries(record).map(([k, v]) => [k, v]),
  );
}
