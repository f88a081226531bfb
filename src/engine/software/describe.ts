/**
 * Short descriptions of received values for error messages ("got a string ("abc")").
 */

/** Longest excerpt of a received value quoted in a message. */
const MAX_EXCERPT = 60;

/** `a string ("abc")`, `a number (5)`, `a list`, `a map`, `null`, …: what a message says was received. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `a string (${excerpt(JSON.stringify(value))})`;
  if (typeof value === 'number') return `a number (${value})`;
  if (typeof value === 'boolean') return `a boolean (${value})`;
  if (Array.isArray(value)) return `a list (${excerpt(JSON.stringify(value))})`;
  return `a map (${excerpt(JSON.stringify(value))})`;
}

function excerpt(text: string): string {
  return text.length <= MAX_EXCERPT ? text : `${text.slice(0, MAX_EXCERPT - 1)}…`;
}

/** True for a JSON object (not null, not a list). */
export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
