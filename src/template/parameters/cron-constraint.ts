/**
 * The `cron_expression` custom constraint: what Python's `croniter` accepts — 5 fields (minute hour day month
 * day-of-week), optionally a 6th (seconds) and 7th (year); `*`, `?`, lists, ranges, steps, month/day names,
 * `L`, `nth` weekdays (`sat#2`) and the `@hourly`-style aliases.
 */

interface FieldSpec {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Extra forms allowed in this field (`L`, `#`). */
  readonly last?: boolean;
  readonly nth?: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const FIELDS: readonly FieldSpec[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31, last: true },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 7, names: DAYS, last: true, nth: true },
  { min: 0, max: 59 },
  { min: 1970, max: 2099 },
];

const ALIASES = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

class CronProblem extends Error {}

function atom(text: string, spec: FieldSpec): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < spec.min || n > spec.max) throw new CronProblem('out of range');
    return n;
  }
  const named = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return spec.names === MONTHS ? named + 1 : named;
  throw new CronProblem('');
}

function checkItem(item: string, spec: FieldSpec): void {
  if (item === '') throw new CronProblem('');
  if (spec.last && (item === 'L' || item === 'l')) return;
  let body = item;
  const slash = body.indexOf('/');
  if (slash >= 0) {
    const step = body.slice(slash + 1);
    if (!/^\d+$/.test(step) || Number(step) === 0) throw new CronProblem('');
    body = body.slice(0, slash);
  }
  if (body === '*' || body === '?') return;
  if (spec.nth && body.includes('#')) {
    const [day = '', nth = ''] = body.split('#');
    atom(day, spec);
    if (!/^[1-5]$/.test(nth)) throw new CronProblem('');
    return;
  }
  if (spec.last && /^[^-]+l$/i.test(body)) {
    atom(body.slice(0, -1), spec);
    return;
  }
  const dash = body.indexOf('-', 1);
  if (dash > 0) {
    atom(body.slice(0, dash), spec);
    atom(body.slice(dash + 1), spec);
    return;
  }
  atom(body, spec);
}

/** `cron_expression`: null when empty or valid, else `Invalid CRON expression: …`. */
export function checkCronExpression(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value !== 'string') return `Invalid CRON expression: [${String(value)}] is not acceptable`;
  const expr = value.trim();
  if (ALIASES.has(expr.toLowerCase())) return null;
  const fields = expr.split(/\s+/);
  if (fields.length < 5 || fields.length > 7) {
    return 'Invalid CRON expression: Exactly 5, 6 or 7 columns has to be specified for iterator expression.';
  }
  for (let i = 0; i < fields.length; i++) {
    const spec = FIELDS[i] as FieldSpec;
    try {
      for (const item of (fields[i] as string).split(',')) checkItem(item, spec);
    } catch (e) {
      const detail = e instanceof CronProblem && e.message ? `, ${e.message}` : '';
      return `Invalid CRON expression: [${expr}] is not acceptable${detail}`;
    }
  }
  return null;
}
