/**
 * The intrinsic-function framework: how a template value is parsed into a tree of plain data and
 * {@link IntrinsicFunction} nodes, validated, and resolved against a {@link ResolveContext}.
 *
 * A value is "parsed" once per template version: every single-key map whose key is in the version's function
 * table becomes a function node (its arguments parsed recursively, except for macros such as `if` which parse
 * only the chosen branch). Single-key maps with any other key are plain data, as in Heat.
 */
import { HeatError, heatPathMessage, type Path } from '../errors.js';

/** Heat's `Ellipsis`: the value of a false two-argument `if`; it removes the enclosing map entry or list item. */
export const OMIT: unique symbol = Symbol('hearth.omit');
/** Type of {@link OMIT}. */
export type Omit = typeof OMIT;

/** Stack-wide identity values (pseudo parameters). */
export interface StackIdentity {
  readonly stackId: string;
  readonly stackName: string;
  readonly projectId: string;
}

/**
 * A resource as seen by `get_resource` and `get_attr`. The engine implements it over live state; during
 * validation it answers with nulls.
 */
export interface ResourceHandle {
  readonly name: string;
  readonly type: string;
  /** `get_resource`: the reference id (usually the physical id), or null while there is none. */
  referenceId(): string | null;
  /**
   * Whether `attribute` (the first element after the resource name in `get_attr`) is an attribute of this
   * resource's type. Group/template types answer for their synthetic attributes (`resource.N`, outputs …).
   */
  hasAttribute(attribute: string): boolean;
  /** The names listed in errors and used for the all-attributes form. */
  attributeNames(): readonly string[];
  /**
   * `get_attr [name, attribute, ...path]`: the value, or null when the resource has not reached a state that
   * has attributes (INIT, DELETE) or the path misses.
   */
  attribute(attribute: string, path: readonly unknown[]): unknown;
  /** `get_attr [name]` (≥ 2015-10-15): every attribute except `show`, or null when not available. */
  allAttributes(): Record<string, unknown> | null;
}

/** What resolution needs from the stack. Implemented by the engine (live) and by validation (static). */
export interface ResolveContext {
  readonly identity: StackIdentity;
  /** True while validating: attributes are null, references are null. */
  readonly validating: boolean;
  /** The typed value of parameter `name` (pseudo parameters included). @throws HeatError UserParameterMissing */
  parameter(name: string): unknown;
  /** `files[key]` from the request, or undefined. */
  file(key: string): string | undefined;
  /** The resource named `name` if the (condition-filtered) template defines it. */
  resource(name: string): ResourceHandle | undefined;
  /** The value of condition `name`. @throws HeatError when no such condition */
  condition(name: string): boolean;
  /** `resource_facade`: the facade resource's `metadata` | `deletion_policy` | `update_policy`. */
  facade(kind: 'metadata' | 'deletion_policy' | 'update_policy'): unknown;
}

/** A static reference from a function to a resource, used to build the dependency graph. */
export interface ResourceReference {
  readonly resource: string;
  /** `get_resource`, `get_attr`, `Ref`, `Fn::GetAtt` … */
  readonly via: string;
  /** Where the reference is written. */
  readonly path: Path;
  /**
   * Set when the reference may not apply: it sits in a branch of `if` that may not be taken, or it is a CFN
   * `Ref` whose name may be a parameter. Callers order by it when the resource exists, and never reject it.
   */
  readonly conditional?: boolean;
}

/** Context of static validation (after the whole template is parsed). */
export interface ValidateContext {
  /** Resource names defined in the template (after conditions, if evaluated). */
  hasResource(name: string): boolean;
  /** The handle used to check attribute names (`get_attr`); undefined when unknown. */
  resource(name: string): ResourceHandle | undefined;
  /** Whether a condition of that name is defined. */
  hasCondition(name: string): boolean;
  /** The request's files map. */
  file(key: string): string | undefined;
  /**
   * Optional: a validating ResolveContext (parameters and conditions known). When given, `if` validates only the
   * branch it takes, and `get_attr`/`Ref` check names written as functions.
   */
  readonly resolver?: ResolveContext;
}

/** A node of the parsed template tree standing for one intrinsic function call. */
export abstract class IntrinsicFunction {
  /**
   * @param name the function's key as written (`get_param`, `Fn::Select` …)
   * @param args the parsed arguments (plain data and function nodes)
   * @param path where the call is written, ending in the function name (Heat's convention)
   */
  constructor(
    readonly name: string,
    readonly args: unknown,
    readonly path: Path,
  ) {}

  /** Evaluates the call. May return {@link OMIT}. */
  abstract resolve(ctx: ResolveContext): unknown;

  /** Static checks; the default checks the arguments' functions. Throw a HeatError to report a problem. */
  validate(ctx: ValidateContext): void {
    validateValue(this.args, ctx);
  }

  /** Resource references made by this call and its arguments. */
  references(): ResourceReference[] {
    return referencesIn(this.args);
  }

  /** The call as written (`{name: args}`), with argument functions shown as written too. */
  toJSON(): unknown {
    return { [this.name]: this.args };
  }

  /** A HeatError located at this call, with Heat's `<path>: : <message>` layout. */
  error(message: string, type: 'StackValidationFailed' = 'StackValidationFailed'): HeatError {
    return new HeatError(type, message, { path: this.path });
  }
}

/** Builds a function node from its raw (unparsed) arguments. */
export type FunctionFactory = (
  name: string,
  rawArgs: unknown,
  path: Path,
  pctx: ParseContext,
) => IntrinsicFunction;

/** The functions of one template version. */
export interface FunctionTable {
  /** Functions usable in values. */
  readonly functions: ReadonlyMap<string, FunctionFactory>;
  /** Functions usable in `conditions`, resource/output `condition`, and the condition argument of `if`. */
  readonly conditionFunctions: ReadonlyMap<string, FunctionFactory>;
  /** Function names that fail with "not supported in this version of HOT". */
  readonly removed: ReadonlySet<string>;
}

/** Context of parsing values into function trees. */
export interface ParseContext {
  readonly table: FunctionTable;
  /** `template`: normal values; `condition`: only condition functions are functions (others are "invalid in this context"). */
  readonly mode: 'template' | 'condition';
  /** Template version key, e.g. `2021-04-16` (some functions change behaviour by version). */
  readonly version: string;
  /** Parses a raw value at `path` with this context. */
  parse(raw: unknown, path: Path): unknown;
  /** Same, in condition mode. */
  parseCondition(raw: unknown, path: Path): unknown;
}

/** True for a plain (non-function, non-array) object. */
export function isPlainMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof IntrinsicFunction);
}

/**
 * Parses `raw` into data + function nodes under `table`. Heat's rule: a map with exactly one key that names a
 * function of the version is a call; a removed function is an error; anything else is data.
 */
export function parseValue(raw: unknown, path: Path, pctx: ParseContext): unknown {
  if (Array.isArray(raw)) return raw.map((item, i) => pctx.parse(item, [...path, i]));
  if (isPlainMap(raw)) {
    const keys = Object.keys(raw);
    if (keys.length === 1) {
      const key = keys[0] as string;
      const fnPath = [...path, key];
      if (pctx.table.removed.has(key)) {
        throw new HeatError(
          'StackValidationFailed',
          heatPathMessage(
            fnPath,
            `The template version is invalid: The function ${key} is not supported in this version of HOT.`,
          ),
          { path: fnPath },
        );
      }
      if (pctx.mode === 'condition') {
        const cf = pctx.table.conditionFunctions.get(key);
        if (cf) return cf(key, raw[key], fnPath, pctx);
        if (pctx.table.functions.has(key)) {
          throw new HeatError(
            'StackValidationFailed',
            heatPathMessage(fnPath, `The function "${key}" is invalid in this context`),
            { path: fnPath },
          );
        }
      } else {
        const f = pctx.table.functions.get(key);
        if (f) return f(key, raw[key], fnPath, pctx);
      }
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = pctx.parse(raw[k], [...path, k]);
    return out;
  }
  return raw;
}

/** Resolves a parsed value: every function node is replaced by its result; {@link OMIT} items are dropped. */
export function resolveValue(value: unknown, ctx: ResolveContext): unknown {
  if (value instanceof IntrinsicFunction) return value.resolve(ctx);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const r = resolveValue(item, ctx);
      if (r !== OMIT) out.push(r);
    }
    return out;
  }
  if (isPlainMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = resolveValue(v, ctx);
      if (r !== OMIT) out[k] = r;
    }
    return out;
  }
  return value;
}

/** Runs `validate` on every function node inside `value`. */
export function validateValue(value: unknown, ctx: ValidateContext): void {
  if (value instanceof IntrinsicFunction) value.validate(ctx);
  else if (Array.isArray(value)) for (const v of value) validateValue(v, ctx);
  else if (isPlainMap(value)) for (const v of Object.values(value)) validateValue(v, ctx);
}

/** Every resource reference made by function nodes inside `value`. */
export function referencesIn(value: unknown): ResourceReference[] {
  const out: ResourceReference[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof IntrinsicFunction) out.push(...v.references());
    else if (Array.isArray(v)) v.forEach(walk);
    else if (isPlainMap(v)) Object.values(v).forEach(walk);
  };
  walk(value);
  return out;
}

/** True when `value` contains no function node (its resolution cannot depend on anything). */
export function isStatic(value: unknown): boolean {
  if (value instanceof IntrinsicFunction) return false;
  if (Array.isArray(value)) return value.every(isStatic);
  if (isPlainMap(value)) return Object.values(value).every(isStatic);
  return true;
}

/** Converts a parsed value back to what was written (for API output such as the stored template). */
export function unparse(value: unknown): unknown {
  if (value instanceof IntrinsicFunction) return { [value.name]: unparse(value.args) };
  if (Array.isArray(value)) return value.map(unparse);
  if (isPlainMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unparse(v)]));
  return value;
}
