/**
 * Errors of the environment layer. Most are {@link HeatError}s of types listed in the shared contract; two of
 * Heat's exception names (`ValueError`, `InvalidRestrictedAction`) are not in `HEAT_ERROR_STATUS` yet, so they
 * are raised here with their Heat name and an explicit status (what Heat's fault middleware answers).
 */
import {
  HeatError,
  type HeatErrorOptions,
  type HeatErrorType,
  type Path,
  type SourcePosition,
} from '../errors.js';

/** Where a problem is: the path in the environment document and its source position, when known. */
export interface ProblemLocation {
  path?: Path;
  position?: SourcePosition;
}

/** A HeatError whose type name is outside the shared list; `status` is what Heat's fault middleware returns. */
function heatErrorNamed(type: string, status: number, message: string, at: ProblemLocation = {}): HeatError {
  const options: HeatErrorOptions = { status, ...at };
  return new HeatError(type as HeatErrorType, message, options);
}

/**
 * Python `ValueError` raised by the engine (environment files are parsed there, not in the API):
 * 400 with `error.type` `ValueError`.
 */
export function valueError(message: string, at: ProblemLocation = {}): HeatError {
  return heatErrorNamed('ValueError', 400, message, at);
}

/** Heat's `InvalidRestrictedAction` (not in the fault map: 500). */
export function invalidRestrictedAction(message: string, at: ProblemLocation = {}): HeatError {
  return heatErrorNamed('InvalidRestrictedAction', 500, message, at);
}

/** Heat's `InvalidBreakPointHook` (400). */
export function invalidBreakPointHook(message: string, at: ProblemLocation = {}): HeatError {
  return new HeatError('InvalidBreakPointHook', message, at);
}

/**
 * Heat's `InvalidMergeStrategyForParam` / `ConflictingMergeStrategyForParam`. Heat answers 500 for them (absent from
 * its fault map); Hearth answers 400, since they describe bad input.
 */
export function mergeStrategyError(
  type: 'InvalidMergeStrategyForParam' | 'ConflictingMergeStrategyForParam',
  message: string,
  at: ProblemLocation = {},
): HeatError {
  return new HeatError(type, message, at);
}
