/** The value of yaql's `regex()` function (kept apart from the library so that type checks can import it). */
import { YaqlEvaluationError } from '../errors.js';

/** A compiled yaql regular expression (Python `re.Pattern`). */
export class YRegex {
  /** The JS expression used for single matches (no `g` flag). */
  readonly single: RegExp;

  /** @param pattern the Python pattern text; @param flags JS flags (`i`, `m`, `s`). */
  constructor(
    readonly pattern: string,
    readonly flags: string,
  ) {
    try {
      this.single = new RegExp(translatePattern(pattern), `u${flags}`);
    } catch (e) {
      throw new YaqlEvaluationError(`re.error: ${(e as Error).message}`);
    }
  }

  /** A fresh global copy (for scanning all matches). */
  global(): RegExp {
    return new RegExp(this.single.source, `g${this.single.flags}`);
  }
}

/** Python `re` syntax → JS: named groups `(?P<n>…)`, back-references `(?P=n)`, `\A` and `\Z`. */
function translatePattern(pattern: string): string {
  return pattern
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$(?![\\s\\S])');
}
