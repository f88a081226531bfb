/**
 * Shared pieces of the intrinsic functions: their error kinds, argument resolution, and Heat's reference keys.
 */
import { HeatError, heatPathMessage, type HeatErrorType, type Path } from '../errors.js';
import {
  OMIT,
  resolveValue,
  type FunctionFactory,
  type IntrinsicFunction,
  type ParseContext,
  type ResolveContext,
} from './function.js';
import { PyError } from './python.js';

/**
 * An error raised by an intrinsic function. `message` is what Heat shows (with the `<path>: : ` prefix when the
 * error is located); `detail` is the bare text, for callers that add their own context.
 */
export class FunctionError extends HeatError {
  readonly detail: string;

  constructor(detail: string, path?: Path, type: HeatErrorType = 'StackValidationFailed') {
    super(type, path ? heatPathMessage(path, detail) : detail, path ? { path } : {});
    this.name = 'FunctionError';
    this.detail = detail;
  }
}

/** A problem found while parsing or validating a call at `path` (message `"<path>: : <detail>"`). */
export function locatedError(path: Path, detail: string): FunctionError {
  return new FunctionError(detail, path);
}

/** A problem found while resolving (bare message; the caller adds the output/property context). */
export function resolveError(detail: string): FunctionError {
  return new FunctionError(detail);
}

/** Converts a {@link PyError} into a resolve error; rethrows anything else. */
export function asResolveError(e: unknown): never {
  if (e instanceof PyError) throw resolveError(e.message);
  throw e;
}

/**
 * Resolves a function argument the way Heat's `function.resolve` does at top level: a dropped value
 * ({@link OMIT}, a false two-argument `if`) becomes `null`.
 */
export function resolveArg(value: unknown, ctx: ResolveContext): unknown {
  const r = resolveValue(value, ctx);
  return r === OMIT ? null : r;
}

/** Descriptor of one function implementation: how to build it and what `template_versions/…/functions` says. */
export interface FunctionSpec {
  readonly factory: FunctionFactory;
  /** First line of Heat's docstring for the implementation. */
  readonly description: string;
}

/** Builds a spec whose factory parses the arguments and constructs `make(name, parsedArgs, path)`. */
export function spec(
  description: string,
  make: (name: string, args: unknown, path: Path, pctx: ParseContext) => IntrinsicFunction,
): FunctionSpec {
  return { description, factory: (name, raw, path, pctx) => make(name, pctx.parse(raw, path), path, pctx) };
}

/**
 * Heat's dependency key for a reference written at `fnPath` (which ends in the function name):
 * `<resource>.Properties.<prop>…` (list items as `[i]`), or `unknown` outside resource properties/metadata.
 */
export function referenceKey(fnPath: Path): string {
  const section = fnPath[2];
  if (
    fnPath[0] !== 'resources' ||
    fnPath.length < 4 ||
    (section !== 'properties' && section !== 'metadata')
  ) {
    return 'unknown';
  }
  let key = `${String(fnPath[1])}.${section === 'properties' ? 'Properties' : 'Metadata'}`;
  const rest = fnPath.slice(3, -1);
  rest.forEach((seg, i) => {
    if (typeof seg === 'number') {
      // Heat's `if` dependencies go through its chosen branch, not through a list index.
      if (rest[i - 1] === 'if') return;
      key += `[${seg}]`;
    } else key += `.${seg}`;
  });
  return key;
}

/** Whether Heat checks references at `fnPath` through the resource's dependencies (properties, metadata). */
export function inResourceDependencies(fnPath: Path): boolean {
  return referenceKey(fnPath) !== 'unknown';
}

/** Heat's `The specified reference "x" (in key) is incorrect.` */
export function referenceMessage(resource: string, key: string): string {
  return `The specified reference "${resource}" (in ${key}) is incorrect.`;
}

/**
 * The error for a reference to an undefined resource found at validation: inside resource properties/metadata
 * Heat's dependency check answers `InvalidTemplateReference` (`in <res>.Properties.<prop>`); elsewhere the
 * function's own validation answers a located `StackValidationFailed` (`in unknown`).
 */
export function undefinedReference(resource: string, fnPath: Path): HeatError {
  if (inResourceDependencies(fnPath)) {
    return new FunctionError(
      referenceMessage(resource, referenceKey(fnPath)),
      undefined,
      'InvalidTemplateReference',
    );
  }
  return locatedError(fnPath, referenceMessage(resource, 'unknown'));
}

/** The error for a reference to an undefined resource found while resolving. */
export function unresolvedReference(resource: unknown): HeatError {
  return new FunctionError(
    referenceMessage(String(resource), 'unknown'),
    undefined,
    'InvalidTemplateReference',
  );
}

/** Sets `map[key] = value` as plain data (safe for keys such as `__proto__`). */
export function putKey(map: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}
