/**
 * Hearth's yaql: a parser and evaluator for a documented subset of yaql 1.x (see docs/yaql.md), used by
 * Heat's `yaql` intrinsic function. Evaluation binds `$` to `{data: <data>}`, as Heat does.
 */
import type { YaqlNode } from './ast.js';
import { fromYaqlValue, toYaqlValue } from './convert.js';
import { evaluateNode } from './evaluator.js';
import { parseExpression } from './parser.js';
import { Scope } from './scope.js';
import { YDict } from './values.js';

import { YaqlEvaluationError } from './errors.js';

export { YaqlEvaluationError, YaqlSyntaxError } from './errors.js';
export { SUPPORTED_FUNCTIONS } from './library/index.js';
export { LIMIT_ITERATORS, MEMORY_QUOTA } from './limits.js';

/** A parsed yaql expression. */
export interface YaqlExpression {
  /** The expression text. */
  readonly source: string;
  /**
   * Evaluates with `$` bound to `{data: data}` (Heat's `yaql` function semantics: expressions say `$.data…`).
   * Returns plain JS data; throws {@link YaqlEvaluationError}.
   */
  evaluate(data: unknown): unknown;
  /** Evaluates with `$` bound to `root` itself (plain yaql semantics). */
  evaluateRoot(root: unknown): unknown;
}

/** Parses a yaql expression; throws {@link YaqlSyntaxError} (message as yaql's, e.g. `Parse error: …`). */
export function parseYaql(expression: string): YaqlExpression {
  const ast: YaqlNode = parseExpression(expression);
  const run = (root: unknown): unknown => {
    const scope = new Scope();
    scope.set('$', root);
    try {
      return fromYaqlValue(evaluateNode(ast, scope));
    } catch (error) {
      if (error instanceof YaqlEvaluationError) throw error;
      throw new YaqlEvaluationError(error instanceof Error ? error.message : String(error));
    }
  };
  return {
    source: expression,
    evaluate: (data) => run(YDict.from([['data', toYaqlValue(data)]])),
    evaluateRoot: (root) => run(toYaqlValue(root)),
  };
}
