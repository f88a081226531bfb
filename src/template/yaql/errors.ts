/**
 * Errors raised by Hearth's yaql subset. Messages follow yaql 1.x/3.x wording so that Heat's
 * `Bad expression <detail>.` and output errors read the same as real Heat's.
 */

/** The expression does not lex or parse (yaql's YaqlLexicalException / YaqlGrammarException). */
export class YaqlSyntaxError extends Error {
  /** 0-based character offset of the offending token, or `undefined` at end of expression. */
  readonly position: number | undefined;

  constructor(message: string, position?: number) {
    super(message);
    this.name = 'YaqlSyntaxError';
    this.position = position;
  }
}

/** Evaluation failed: unknown/unsupported function, no matching overload, limits exceeded, bad data. */
export class YaqlEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YaqlEvaluationError';
  }
}
