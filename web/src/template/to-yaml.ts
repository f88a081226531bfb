/**
 * A JSON value as YAML text, for showing a stored template the way it was written (the API returns templates as
 * JSON). Short maps and lists (`{get_param: length}`) stay on one line; multi-line strings become literal blocks;
 * strings YAML would read as something else (`yes`, `2021-04-16`, `012`) are quoted.
 */

const PLAIN = /^[A-Za-z_/.$][\w ./:$@()+=-]*$/;
const AMBIGUOUS = /^(y|yes|n|no|true|false|on|off|null|~)$/i;
const FLOW_LIMIT = 60;

/** True when `s` can be written without quotes. */
function plainString(s: string): boolean {
  return PLAIN.test(s) && !AMBIGUOUS.test(s) && !/\s$/.test(s) && !/: |\s#/.test(s);
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return plainString(v) ? v : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function isScalar(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}

/** One-line form of a small value, or undefined when it is too big to read that way. */
function flow(v: unknown, depth = 0): string | undefined {
  if (isScalar(v)) return typeof v === 'string' && v.includes('\n') ? undefined : scalar(v);
  if (depth > 2) return undefined;
  const parts: string[] = [];
  if (Array.isArray(v)) {
    for (const item of v) {
      const f = flow(item, depth + 1);
      if (f === undefined) return undefined;
      parts.push(f);
    }
    const text = `[${parts.join(', ')}]`;
    return text.length <= FLOW_LIMIT ? text : undefined;
  }
  for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
    const f = flow(item, depth + 1);
    if (f === undefined) return undefined;
    parts.push(`${scalar(k)}: ${f}`);
  }
  const text = parts.length ? `{ ${parts.join(', ')} }` : '{}';
  return text.length <= FLOW_LIMIT ? text : undefined;
}

/** A value after `key:` or `- `: on the same line, or as an indented block on the next lines. */
function inline(v: unknown, indent: string, allowFlow: boolean): string {
  if (typeof v === 'string' && v.includes('\n')) {
    const body = v.endsWith('\n') ? v.slice(0, -1) : v;
    if (!/^\s/.test(body) && !v.endsWith('\n\n')) {
      const chomp = v.endsWith('\n') ? '' : '-';
      return ` |${chomp}\n${body
        .split('\n')
        .map((l) => (l ? `${indent}  ${l}` : ''))
        .join('\n')}`;
    }
    return ` ${JSON.stringify(v)}`;
  }
  if (isScalar(v)) return ` ${scalar(v)}`;
  const isEmpty = Array.isArray(v) ? v.length === 0 : Object.keys(v as object).length === 0;
  if (isEmpty) return Array.isArray(v) ? ' []' : ' {}';
  if (allowFlow) {
    const f = flow(v);
    if (f !== undefined) return ` ${f}`;
  }
  return `\n${block(v, `${indent}  `)}`;
}

function block(v: unknown, indent: string): string {
  if (Array.isArray(v)) {
    return v
      .map((item) => {
        if (
          !isScalar(item) &&
          !Array.isArray(item) &&
          Object.keys(item as object).length > 0 &&
          flow(item) === undefined
        ) {
          // A map item starts on the dash line: "- key: value" then the other keys aligned under it.
          const text = block(item, `${indent}  `);
          return `${indent}- ${text.slice(indent.length + 2)}`;
        }
        return `${indent}-${inline(item, indent, true)}`;
      })
      .join('\n');
  }
  return Object.entries(v as Record<string, unknown>)
    .map(([k, item]) => `${indent}${scalar(k)}:${inline(item, indent, true)}`)
    .join('\n');
}

/** The YAML text of `value` (a template or environment), ending with a newline. */
export function toYaml(value: unknown): string {
  if (isScalar(value)) return `${scalar(value)}\n`;
  const isEmpty = Array.isArray(value) ? value.length === 0 : Object.keys(value as object).length === 0;
  if (isEmpty) return Array.isArray(value) ? '[]\n' : '{}\n';
  return `${block(value, '')}\n`;
}
