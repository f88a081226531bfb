import { describe, expect, it } from 'vitest';
import { formatList, formatRecord, parseFormat, selectColumns, yamlCell } from './format.js';
import { CliError } from './io.js';

const COLUMNS: [string, string][] = [
  ['ID', 'id'],
  ['Stack Name', 'stack_name'],
  ['Stack Status', 'stack_status'],
];
const ITEMS = [
  { id: '1', stack_name: 'a', stack_status: 'CREATE_COMPLETE', extra: true },
  { id: '2', stack_name: 'b', stack_status: 'CREATE_FAILED', extra: null },
];

/** The usage error (exit 2) a call throws. */
function usageError(call: () => unknown): string {
  try {
    call();
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    return (err as CliError).message;
  }
  throw new Error('no error thrown');
}

describe('formatList', () => {
  it('prints exactly the data as JSON and YAML, keyed by column header', () => {
    expect(JSON.parse(formatList('json', COLUMNS, ITEMS))).toEqual([
      { ID: '1', 'Stack Name': 'a', 'Stack Status': 'CREATE_COMPLETE' },
      { ID: '2', 'Stack Name': 'b', 'Stack Status': 'CREATE_FAILED' },
    ]);
    expect(formatList('yaml', COLUMNS, ITEMS.slice(0, 1))).toBe(
      '- ID: "1"\n  Stack Name: a\n  Stack Status: CREATE_COMPLETE',
    );
  });

  it('prints values only, and a table with headers', () => {
    expect(formatList('value', COLUMNS, ITEMS)).toBe('1 a CREATE_COMPLETE\n2 b CREATE_FAILED');
    expect(formatList('table', COLUMNS, ITEMS.slice(1))).toBe(
      [
        '+----+------------+---------------+',
        '| ID | Stack Name | Stack Status  |',
        '+----+------------+---------------+',
        '| 2  | b          | CREATE_FAILED |',
        '+----+------------+---------------+',
      ].join('\n'),
    );
  });

  it('keeps the columns -c names (header or field, any case), in display order', () => {
    expect(formatList('value', COLUMNS, ITEMS, ['stack_status', 'id'])).toBe(
      '1 CREATE_COMPLETE\n2 CREATE_FAILED',
    );
    expect(JSON.parse(formatList('json', COLUMNS, ITEMS, ['stack name']))).toEqual([
      { 'Stack Name': 'a' },
      { 'Stack Name': 'b' },
    ]);
  });

  it('fails with a usage error naming unknown columns and the available ones', () => {
    expect(usageError(() => formatList('table', COLUMNS, ITEMS, ['id', 'owner']))).toBe(
      '-c/--column: no column "owner" (available: ID, Stack Name, Stack Status)',
    );
  });
});

describe('formatRecord', () => {
  const record = { id: '1', parameters: { a: 1 }, outputs: [], reason: null };

  it('prints the record as JSON/YAML, values one per line, or Field/Value rows', () => {
    expect(JSON.parse(formatRecord('json', record))).toEqual(record);
    expect(formatRecord('value', record)).toBe('1\n{"a":1}\n[]\nNone');
    expect(formatRecord('table', record, ['id', 'parameters'], (_k, v) => yamlCell(v))).toBe(
      [
        '+------------+-------+',
        '| Field      | Value |',
        '+------------+-------+',
        '| id         | 1     |',
        '| parameters | a: 1  |',
        '+------------+-------+',
      ].join('\n'),
    );
  });

  it('selects fields with -c', () => {
    expect(formatRecord('yaml', record, ['PARAMETERS'])).toBe('parameters:\n  a: 1');
    expect(usageError(() => formatRecord('json', record, ['nope']))).toMatch(/available: id, parameters/);
  });
});

describe('format helpers', () => {
  it('accepts the four formats and refuses others as a usage error', () => {
    expect(['table', 'json', 'yaml', 'value'].map(parseFormat)).toEqual(['table', 'json', 'yaml', 'value']);
    expect(usageError(() => parseFormat('csv'))).toBe(
      '-f/--format: unknown format "csv" (allowed: table, json, yaml, value)',
    );
  });

  it('selects nothing when no -c is given', () => {
    expect(selectColumns(COLUMNS, [])).toEqual(COLUMNS);
  });
});
