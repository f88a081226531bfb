/**
 * A JSON reader that accepts what Python's `json.loads` accepts (including `NaN`/`Infinity`) and fails with
 * Python's messages (`Expecting value: line 1 column 1 (char 0)`), which Heat puts in its errors.
 */

/** A JSON syntax error with Python's `JSONDecodeError` message. */
export class PythonJsonError extends Error {
  constructor(
    readonly reason: string,
    readonly text: string,
    readonly pos: number,
  ) {
    const line = countNewlines(text, pos) + 1;
    const column = pos - text.lastIndexOf('\n', pos - 1);
    super(`${reason}: line ${line} column ${column} (char ${pos})`);
    this.name = 'PythonJsonError';
  }
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  fail(reason: string, pos = this.pos): never {
    throw new PythonJsonError(reason, this.text, pos);
  }

  skipWhitespace(): void {
    while (this.pos < this.text.length && WHITESPACE.has(this.text[this.pos] as string)) this.pos++;
  }

  value(): unknown {
    const t = this.text;
    const ch = t[this.pos];
    if (ch === '"') return this.string();
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    for (const [word, v] of [
      ['null', null],
      ['true', true],
      ['false', false],
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
    ] as const) {
      if (t.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(t);
    if (m) {
      this.pos += m[0].length;
      return Number(m[0]);
    }
    return this.fail('Expecting value');
  }

  string(): string {
    const t = this.text;
    const start = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= t.length) this.fail('Unterminated string starting at', start);
      const ch = t[this.pos] as string;
      if (ch === '"') {
        this.pos++;
        return out;
      }
      if (ch === '\\') {
        const esc = t[this.pos + 1];
        if (esc === undefined) this.fail('Unterminated string starting at', start);
        if (esc === 'u') {
          const code = this.hex4(this.pos + 2);
          this.pos += 6;
          if (code >= 0xd800 && code <= 0xdbff && t.startsWith('\\u', this.pos)) {
            const low = this.hex4(this.pos + 2);
            if (low >= 0xdc00 && low <= 0xdfff) {
              this.pos += 6;
              out += String.fromCharCode(code, low);
              continue;
            }
          }
          out += String.fromCharCode(code);
          continue;
        }
        const mapped = ESCAPES[esc];
        if (mapped === undefined) this.fail('Invalid \\escape', this.pos);
        out += mapped;
        this.pos += 2;
        continue;
      }
      if (ch.charCodeAt(0) < 0x20) this.fail('Invalid control character at');
      out += ch;
      this.pos++;
    }
  }

  hex4(at: number): number {
    const digits = this.text.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) this.fail('Invalid \\uXXXX escape', at - 1);
    return parseInt(digits, 16);
  }

  object(): Record<string, unknown> {
    const t = this.text;
    const out: Record<string, unknown> = {};
    this.pos++;
    this.skipWhitespace();
    if (t[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      if (t[this.pos] !== '"') this.fail('Expecting property name enclosed in double quotes');
      const key = this.string();
      this.skipWhitespace();
      if (t[this.pos] !== ':') this.fail("Expecting ':' delimiter");
      this.pos++;
      this.skipWhitespace();
      Object.defineProperty(out, key, {
        value: this.value(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipWhitespace();
      if (t[this.pos] === '}') {
        this.pos++;
        return out;
      }
      if (t[this.pos] !== ',') this.fail("Expecting ',' delimiter");
      this.pos++;
      this.skipWhitespace();
    }
  }

  array(): unknown[] {
    const t = this.text;
    const out: unknown[] = [];
    this.pos++;
    this.skipWhitespace();
    if (t[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.skipWhitespace();
      if (t[this.pos] === ']') {
        this.pos++;
        return out;
      }
      if (t[this.pos] !== ',') this.fail("Expecting ',' delimiter");
      this.pos++;
      this.skipWhitespace();
    }
  }
}

/**
 * Parses `text` as Python's `json.loads` would.
 * @throws PythonJsonError with Python's message, e.g. `Expecting property name enclosed in double quotes: line 1 column 2 (char 1)`.
 */
export function parsePythonJson(text: string): unknown {
  const reader = new Reader(text);
  reader.skipWhitespace();
  const value = reader.value();
  reader.skipWhitespace();
  if (reader.pos !== text.length) reader.fail('Extra data');
  return value;
}
