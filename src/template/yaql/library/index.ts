/** The function library of Hearth's yaql subset: every supported function by name. */
import { YaqlEvaluationError } from '../errors.js';
import { collectionFunctions } from './collections.js';
import { formatFunctions } from './format.js';
import { YAQL_STANDARD_FUNCTIONS } from './known.js';
import { mathFunctions } from './math.js';
import { regexFunctions } from './regex.js';
import { QUERY_ALIASES, queryFunctions } from './queries.js';
import type { FunctionSpec } from './spec.js';
import { stringFunctions } from './strings.js';
import { systemFunctions } from './system.js';

function buildLibrary(): Map<string, FunctionSpec> {
  const byName = new Map<string, FunctionSpec>();
  const all = [
    ...collectionFunctions,
    ...queryFunctions,
    ...stringFunctions,
    ...formatFunctions,
    ...regexFunctions,
    ...mathFunctions,
    ...systemFunctions,
  ];
  for (const spec of all) {
    const existing = byName.get(spec.name);
    byName.set(
      spec.name,
      existing
        ? {
            ...existing,
            summary: `${existing.summary}; ${spec.summary}`,
            overloads: [...existing.overloads, ...spec.overloads],
          }
        : spec,
    );
  }
  for (const [alias, target] of Object.entries(QUERY_ALIASES)) {
    const spec = byName.get(target)!;
    byName.set(alias, { ...spec, name: alias, summary: `alias of ${target}` });
  }
  return byName;
}

/** Supported functions by name. */
export const library: ReadonlyMap<string, FunctionSpec> = buildLibrary();

/** Names of the supported functions, sorted. */
export const SUPPORTED_FUNCTIONS: readonly string[] = [...library.keys()].sort();

/**
 * The error for a function Hearth does not have: yaql standard functions outside the subset are named as
 * unsupported (with the supported list); other names get yaql's own `Unknown function/method` message.
 */
export function unsupportedFunctionError(name: string, receiver?: string): YaqlEvaluationError {
  if (YAQL_STANDARD_FUNCTIONS.has(name)) {
    return new YaqlEvaluationError(
      `Function '${name}' is not supported by Hearth's yaql subset (supported: ${SUPPORTED_FUNCTIONS.join(', ')})`,
    );
  }
  const unknown =
    receiver === undefined
      ? `Unknown function "${name}"`
      : `Unknown method "${name}" for receiver ${receiver}`;
  return new YaqlEvaluationError(
    `${unknown} (Hearth's yaql subset supports: ${SUPPORTED_FUNCTIONS.join(', ')})`,
  );
}
