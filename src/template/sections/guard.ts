/**
 * Running one parse/check step and turning what it throws into a collected problem.
 */
import { HeatError, problemsOf, type Path } from '../errors.js';

/**
 * Runs `step`; a thrown HeatError (or every problem of a ValidationFailure) is appended to `problems`, any other
 * error becomes a `StackValidationFailed` located at `path`. Returns the step's result, or `fallback` when it threw.
 */
export function collect<T>(problems: HeatError[], path: Path, step: () => T, fallback: T): T {
  try {
    return step();
  } catch (e) {
    problems.push(...asHeatErrors(e, path));
    return fallback;
  }
}

/** Converts anything thrown into HeatErrors (a plain Error becomes `StackValidationFailed` at `path`). */
export function asHeatErrors(e: unknown, path: Path): HeatError[] {
  if (e instanceof HeatError) return [...problemsOf(e)];
  const message = e instanceof Error ? e.message : String(e);
  return [new HeatError('StackValidationFailed', message, { path, cause: e })];
}
