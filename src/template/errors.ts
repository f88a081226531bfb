/**
 * The error model shared by every layer.
 *
 * A {@link HeatError} carries Heat's exception name (`type`, what Heat clients switch on), the HTTP status
 * Heat's fault middleware would answer, a Heat-compatible `message`, and — Hearth's addition — where the problem
 * is (`path` in the template, and `position` file:line:column when the source is known) plus an optional `hint`.
 * Validation collects many problems and throws them together as a {@link ValidationFailure}.
 */

/** One segment of a path into a template: a map key or a list index. */
export type PathSegment = string | number;
/** A path into a template document, e.g. `['resources', 'server', 'properties', 'flavor']`. */
export type Path = readonly PathSegment[];

/** A place in a source file (1-based line and column). */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Renders `file:line:column`. */
export function formatPosition(pos: SourcePosition): string {
  return `${pos.file}:${pos.line}:${pos.column}`;
}

/** Renders a path the way Heat does in its messages: dot-joined keys, list indices as `[N]` (`a.b[0].c`). */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

/**
 * Heat exception names Hearth raises, each with the HTTP status Heat answers for it.
 * (heat/api/middleware/fault.py error map.)
 */
export const HEAT_ERROR_STATUS = {
  StackValidationFailed: 400,
  InvalidSchemaError: 400,
  InvalidTemplateReference: 400,
  InvalidTemplateVersion: 400,
  InvalidTemplateSection: 400,
  InvalidTemplateAttribute: 400,
  UnknownUserParameter: 400,
  UserParameterMissing: 400,
  ImmutableParameterModified: 400,
  RequestLimitExceeded: 400,
  NotSupported: 400,
  InvalidBreakPointHook: 400,
  CircularDependencyException: 400,
  InvalidResourceType: 400,
  InvalidMergeStrategyForParam: 400,
  ConflictingMergeStrategyForParam: 400,
  InvalidGlobalResource: 400,
  ValueError: 400,
  InvalidRestrictedAction: 400,
  Invalid: 400,
  ResourceActionNotSupported: 400,
  PhysicalResourceIDAmbiguity: 400,
  SnapshotNotFound: 404,
  ResourceTypeNotFound: 404,
  HTTPBadRequest: 400,
  HTTPNotFound: 404,
  EntityNotFound: 404,
  NotFound: 404,
  ResourceNotAvailable: 404,
  ResourceNotFound: 404,
  StackNotFound: 404,
  HTTPConflict: 409,
  StackExists: 409,
  ActionInProgress: 409,
  Forbidden: 403,
  HTTPForbidden: 403,
  HTTPMethodNotAllowed: 405,
  HTTPRequestEntityTooLarge: 413,
  HTTPInternalServerError: 500,
} as const;

/** Every Heat error type name Hearth can raise. */
export type HeatErrorType = keyof typeof HEAT_ERROR_STATUS;

/** Options of a {@link HeatError}. */
export interface HeatErrorOptions {
  /** Where in the template the problem is. */
  path?: Path;
  /** Where in the source file (set when the source is known). */
  position?: SourcePosition;
  /** A short suggestion, e.g. `did you mean "get_param"?`. */
  hint?: string;
  /** The value that was received, when it helps. */
  value?: unknown;
  /** Overrides the status from {@link HEAT_ERROR_STATUS}. */
  status?: number;
  cause?: unknown;
}

/** An error with Heat's type name and HTTP status, and Hearth's precise location. */
export class HeatError extends Error {
  readonly type: HeatErrorType;
  readonly status: number;
  readonly path?: Path;
  position?: SourcePosition;
  readonly hint?: string;
  readonly value?: unknown;

  constructor(type: HeatErrorType, message: string, options: HeatErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HeatError';
    this.type = type;
    this.status = options.status ?? HEAT_ERROR_STATUS[type];
    if (options.path) this.path = options.path;
    if (options.position) this.position = options.position;
    if (options.hint) this.hint = options.hint;
    if (options.value !== undefined) this.value = options.value;
  }

  /** A structured, JSON-ready description of this problem. */
  toProblem(): Problem {
    const p: Problem = { type: this.type, message: this.message };
    if (this.path) p.path = formatPath(this.path);
    if (this.position) {
      p.file = this.position.file;
      p.line = this.position.line;
      p.column = this.position.column;
    }
    if (this.hint) p.hint = this.hint;
    return p;
  }
}

/** A JSON-ready problem as returned in Hearth's `problems` list. */
export interface Problem {
  type: string;
  message: string;
  path?: string;
  file?: string;
  line?: number;
  column?: number;
  hint?: string;
  severity?: 'error' | 'warning';
}

/**
 * Several problems found at once. `type`/`status`/`message` are those of the first problem, so a Heat client
 * sees exactly what Heat would have reported; `problems` lists all of them.
 */
export class ValidationFailure extends HeatError {
  readonly problems: readonly HeatError[];

  constructor(problems: readonly HeatError[]) {
    const first = problems[0];
    if (!first) throw new Error('ValidationFailure needs at least one problem');
    super(first.type, first.message, {
      path: first.path,
      position: first.position,
      hint: first.hint,
      status: first.status,
    });
    this.name = 'ValidationFailure';
    this.problems = problems;
  }
}

/** Throws `ValidationFailure` when `problems` is not empty. */
export function throwIfProblems(problems: readonly HeatError[]): void {
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new ValidationFailure(problems);
}

/** Lists the problems inside an error (one, or all of a ValidationFailure). */
export function problemsOf(err: HeatError): readonly HeatError[] {
  return err instanceof ValidationFailure ? err.problems : [err];
}

/**
 * Heat's StackValidationFailed message layout for a problem found at `path`:
 * `"<prefix>: : <path>: : <message>"`, or `"<path>: : <message>"` without a prefix.
 * (Recorded from Heat 19, e.g. `Property error: : resources.v.properties.value: : The Parameter (x) was not provided.`)
 */
export function heatPathMessage(path: Path, message: string, prefix?: string): string {
  const body = `${formatPath(path)}: : ${message}`;
  return prefix ? `${prefix}: : ${body}` : body;
}
