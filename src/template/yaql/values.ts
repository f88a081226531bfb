/**
 * Runtime values of the yaql evaluator and their Python semantics.
 *
 * - null, booleans, strings, numbers ({@link PyFloat} for integral floats);
 * - arrays are yaql tuples (sequences: indexable, compared by value);
 * - {@link LazySeq} is a Python iterator (results of select/where/range…: iterable, not indexable, compared by identity);
 * - {@link YDict} is a dict keyed by value (Python hash/equality), insertion-ordered;
 * - {@link MappingRule} is the value of `key => value` passed to `dict()`.
 */
import { formatFloat, isNumber, numberValue, PyFloat } from './numbers.js';

/** A lazily produced, re-iterable collection (a Python iterator in yaql). */
export class LazySeq {
  constructor(private readonly produce: () => Iterable<unknown>) {}

  [Symbol.iterator](): Iterator<unknown> {
    return this.produce()[Symbol.iterator]();
  }
}

/** `source => destination` as evaluated inside `dict(...)`/`{...}` arguments. */
export class MappingRule {
  constructor(
    readonly source: unknown,
    readonly destination: unknown,
  ) {}
}

/** An insertion-ordered dict whose keys follow Python hashing (`1`, `1.0` and `true` are one key). */
export class YDict {
  private readonly entries = new Map<string, [unknown, unknown]>();

  /** Builds a dict from pairs; later pairs overwrite earlier values (keeping the first key object, as Python). */
  static from(pairs: Iterable<readonly [unknown, unknown]>): YDict {
    const dict = new YDict();
    for (const [key, value] of pairs) dict.set(key, value);
    return dict;
  }

  /** Number of entries. */
  get size(): number {
    return this.entries.size;
  }

  /** True when the key is present. */
  has(key: unknown): boolean {
    return this.entries.has(hashKey(key));
  }

  /** The value for a key, or `undefined` when absent. */
  get(key: unknown): unknown {
    return this.entries.get(hashKey(key))?.[1];
  }

  /** Sets a value (mutates; only used while building a new dict). */
  set(key: unknown, value: unknown): void {
    const hash = hashKey(key);
    const existing = this.entries.get(hash);
    this.entries.set(hash, [existing ? existing[0] : key, value]);
  }

  /** Keys in insertion order. */
  keys(): unknown[] {
    return [...this.entries.values()].map(([key]) => key);
  }

  /** Values in insertion order. */
  values(): unknown[] {
    return [...this.entries.values()].map(([, value]) => value);
  }

  /** `[key, value]` pairs in insertion order. */
  pairs(): [unknown, unknown][] {
    return [...this.entries.values()].map(([key, value]) => [key, value]);
  }
}

/** A stable string standing for Python's hash+equality of a hashable value. */
export function hashKey(value: unknown): string {
  if (value === null || value === undefined) return 'N';
  if (typeof value === 'boolean') return `n:${value ? 1 : 0}`;
  if (isNumber(value)) return `n:${numberValue(value)}`;
  if (typeof value === 'string') return `s:${value}`;
  if (Array.isArray(value)) return `t:[${value.map(hashKey).join(',')}]`;
  if (value instanceof YDict) {
    const items = value.pairs().map(([k, v]) => `${hashKey(k)}=${hashKey(v)}`);
    return `d:{${items.sort().join(',')}}`;
  }
  return `o:${String(value)}`;
}

/** yaql's collections: sequences (arrays) and iterators ({@link LazySeq}) — not strings, not dicts. */
export function isIterable(value: unknown): value is unknown[] | LazySeq {
  return Array.isArray(value) || value instanceof LazySeq;
}

/** Python truthiness. */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (isNumber(value)) return numberValue(value) !== 0;
  if (typeof value === 'string' || Array.isArray(value)) return value.length > 0;
  if (value instanceof YDict) return value.size > 0;
  return true;
}

/** Python `==`. Iterators compare by identity; `True == 1`. */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const aNum = typeof a === 'boolean' || isNumber(a);
  const bNum = typeof b === 'boolean' || isNumber(b);
  if (aNum && bNum) return toNumber(a) === toNumber(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => pyEquals(item, b[i]));
  }
  if (a instanceof YDict && b instanceof YDict) {
    return a.size === b.size && a.pairs().every(([key, value]) => b.has(key) && pyEquals(value, b.get(key)));
  }
  return false;
}

function toNumber(value: unknown): number {
  return typeof value === 'boolean' ? (value ? 1 : 0) : numberValue(value as number | PyFloat);
}

/** Python `repr()` (used inside containers and in error messages). */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return quoteString(value);
  return pyStr(value);
}

/** Python `str()`. */
export function pyStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (value instanceof PyFloat) return formatFloat(value.value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : formatFloat(value);
  if (Array.isArray(value)) {
    return value.length === 1 ? `(${pyRepr(value[0])},)` : `(${value.map(pyRepr).join(', ')})`;
  }
  if (value instanceof YDict) {
    return `{${value
      .pairs()
      .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
      .join(', ')}}`;
  }
  if (value instanceof LazySeq) return '<iterator object>';
  if (value instanceof MappingRule) return '<MappingRule>';
  return String(value);
}

function quoteString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(new RegExp(quote, 'g'), `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}

/** yaql's `str()` function: `null`/`true`/`false` spelled the yaql way, everything else as Python `str()`. */
export function yaqlStr(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  return pyStr(value);
}
