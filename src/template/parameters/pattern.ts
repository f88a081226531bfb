/**
 * Python regular expressions (as written in `allowed_pattern`) run with JS's engine, matched the way Heat does:
 * `re.match(pattern, value)` from the start, and the first match must end at the end of the value (this is not
 * `fullmatch`: with `a|ab`, `"ab"` fails because the first match is `"a"`).
 */

/** A compiled `allowed_pattern`. */
export interface PythonPattern {
  readonly source: string;
  /** Heat's test: the first match at position 0 covers the whole text. */
  matchesWhole(text: string): boolean;
}

const cache = new Map<string, PythonPattern>();

/** Translates the Python-only syntax (`(?P<n>…)`, `(?P=n)`, `\Z`, `\A`, leading inline flags) to JS. */
export function pythonPatternToJs(pattern: string): { source: string; flags: string } {
  let source = pattern;
  let flags = '';
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    for (const f of inline[1] ?? '') if ('ims'.includes(f) && !flags.includes(f)) flags += f;
  }
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      const next = source[i + 1];
      if (next === 'Z') out += '$(?![\\s\\S])';
      else if (next === 'A') out += '^';
      else out += ch + (next ?? '');
      i++;
      continue;
    }
    if (source.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (source.startsWith('(?P=', i)) {
      const end = source.indexOf(')', i);
      out += `\\k<${source.slice(i + 4, end)}>`;
      i = end;
      continue;
    }
    out += ch;
  }
  return { source: out, flags };
}

/** Compiles (and caches) a Python pattern. @throws SyntaxError when the pattern is not a valid expression */
export function compilePythonPattern(pattern: string): PythonPattern {
  const known = cache.get(pattern);
  if (known) return known;
  const { source, flags } = pythonPatternToJs(pattern);
  const re = new RegExp(source, `${flags}y`);
  const compiled: PythonPattern = {
    source: pattern,
    matchesWhole(text: string): boolean {
      re.lastIndex = 0;
      const m = re.exec(text);
      return m !== null && m[0].length === text.length;
    },
  };
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}
