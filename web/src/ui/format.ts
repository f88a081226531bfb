/**
 * Text formatting shared by the pages.
 */

/** A time as the local date and time (`—` when absent). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** A clock time (`14:02:11`). */
export function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString();
}

/** Any value as display text: strings as they are, the rest as indented JSON. */
export function displayValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  return JSON.stringify(v, null, 2);
}

/** The message of anything thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
