/**
 * Time custom constraints: `iso_8601` (oslo `parse_isotime`, i.e. the `iso8601` library's grammar), `expiration`
 * (an ISO 8601 time in the future) and `timezone` (an IANA zone name, as Python's `zoneinfo` accepts).
 */
import { pyStr } from './python.js';

const ISO_8601 = new RegExp(
  '^(?<year>\\d{4})' +
    '(?:(?:-(?<monthdash>\\d{1,2})|(?<month>\\d{2})(?!$))' +
    '(?:(?:-(?<daydash>\\d{1,2})|(?<day>\\d{2}))' +
    '(?:[ T](?<hour>\\d{2})(?::?(?<minute>\\d{2}))?(?::?(?<second>\\d{1,2})(?:[.,](?<fraction>\\d+))?)?' +
    '(?<tz>Z|(?<tzsign>[-+])(?<tzhour>\\d{2}):?(?<tzminute>\\d{2})?)?' +
    ')?)?)?$',
);

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parses an ISO 8601 date/time as the `iso8601` library does (naive times are UTC).
 * @returns epoch milliseconds
 * @throws Error `Unable to parse date string '…'` or a field-range message
 */
export function parseIsoTime(text: string): number {
  const m = ISO_8601.exec(text);
  const g = m?.groups;
  if (!g) throw new Error(`Unable to parse date string '${text}'`);
  const num = (v: string | undefined, dflt: number): number => (v === undefined ? dflt : Number(v));
  const year = num(g['year'], 1);
  const month = num(g['monthdash'] ?? g['month'], 1);
  const day = num(g['daydash'] ?? g['day'], 1);
  const hour = num(g['hour'], 0);
  const minute = num(g['minute'], 0);
  const second = num(g['second'], 0);
  if (year < 1) throw new Error(`year ${year} is out of range`);
  if (month < 1 || month > 12) throw new Error('month must be in 1..12');
  if (day < 1 || day > daysInMonth(year, month)) throw new Error('day is out of range for month');
  if (hour > 23) throw new Error('hour must be in 0..23');
  if (minute > 59) throw new Error('minute must be in 0..59');
  if (second > 59) throw new Error('second must be in 0..59');
  let offsetMinutes = 0;
  if (g['tzsign']) {
    const tzHour = num(g['tzhour'], 0);
    const tzMinute = num(g['tzminute'], 0);
    if (tzHour > 23 || tzMinute > 59) throw new Error(`Unable to parse date string '${text}'`);
    offsetMinutes = (g['tzsign'] === '-' ? -1 : 1) * (tzHour * 60 + tzMinute);
  }
  const fraction = g['fraction'] ? Number(`0.${g['fraction']}`) * 1000 : 0;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Math.floor(fraction));
  return date.getTime() - offsetMinutes * 60_000;
}

/** `iso_8601`: true when `value` parses as an ISO 8601 date/time. */
export function isIso8601(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    parseIsoTime(value);
    return true;
  } catch {
    return false;
  }
}

/** `expiration`: null when empty or a future ISO 8601 time, else the constraint's message. */
export function checkExpiration(value: unknown, now: number = Date.now()): string | null {
  if (value === null || value === undefined || value === '') return null;
  let reason: string;
  try {
    if (typeof value !== 'string') throw new Error(`Unable to parse date string '${pyStr(value)}'`);
    if (parseIsoTime(value.trim()) > now) return null;
    reason = 'Expiration time is out of date.';
  } catch (e) {
    reason = (e as Error).message;
  }
  return `Expiration ${pyStr(value)} is invalid: ${reason}`;
}

let zoneNames: ReadonlySet<string> | undefined;

function knownZones(): ReadonlySet<string> {
  zoneNames ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  return zoneNames;
}

/** True when ICU knows `name` as a zone (canonical names and links such as `US/Eastern`), case as written. */
function isZoneName(name: string): boolean {
  if (knownZones().has(name)) return true;
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name) || name.includes('//') || name.endsWith('/')) return false;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    // ICU matches case-insensitively; zoneinfo (a file lookup) does not. Accept links only when written with
    // the capitalisation zone names use (each segment starting with an upper-case letter or a digit).
    return resolved.toLowerCase() === name.toLowerCase()
      ? resolved === name
      : name.split('/').every((seg) => /^[A-Z0-9]/.test(seg) || seg === 'posix' || seg === 'right');
  } catch {
    return false;
  }
}

/** `timezone`: null when empty or an IANA zone name, else the constraint's message. */
export function checkTimezone(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const name = pyStr(value);
  if (typeof value === 'string' && isZoneName(value)) return null;
  return `Invalid timezone: 'No time zone found with key ${name}'`;
}
