/**
 * `get_attr` in its three generations, and CFN `Fn::GetAtt`:
 * - `select` (2013-05-23): the attribute is fetched, then the path is walked over its value;
 * - `path` (2014-10-16, 2015-04-30): the path is passed to the resource;
 * - `all` (≥ 2015-10-15): as `path`, plus `[resource]` alone for every attribute.
 */
import type { Path } from '../errors.js';
import {
  IntrinsicFunction,
  isStatic,
  referencesIn,
  validateValue,
  type ResolveContext,
  type ResourceReference,
  type ValidateContext,
} from './function.js';
import { selectFromAttribute } from './path.js';
import { pyFalsy, pyStr } from './python.js';
import {
  locatedError,
  resolveArg,
  spec,
  undefinedReference,
  unresolvedReference,
  type FunctionSpec,
} from './support.js';

/** How a `get_attr` generation treats the path and the one-element form. */
export type GetAttrMode = 'select' | 'path' | 'all' | 'cfn';

/** A `get_attr`/`Fn::GetAtt` call. `attribute` is `undefined` for the all-attributes form. */
export class GetAttr extends IntrinsicFunction {
  readonly resourceName: unknown;
  readonly attribute: unknown;
  readonly attributePath: readonly unknown[];

  constructor(
    name: string,
    args: unknown,
    path: Path,
    readonly mode: GetAttrMode,
  ) {
    super(name, args, path);
    [this.resourceName, this.attribute, this.attributePath] = readArgs(name, args, path, mode);
  }

  override references(): ResourceReference[] {
    const own: ResourceReference[] =
      typeof this.resourceName === 'string'
        ? [{ resource: this.resourceName, via: this.name, path: this.path }]
        : [];
    return [...own, ...referencesIn(this.args)];
  }

  override validate(ctx: ValidateContext): void {
    validateValue(this.args, ctx);
    const name = staticOrResolved(this.resourceName, ctx);
    if (name === undefined) return;
    if (typeof name !== 'string' || !ctx.hasResource(name)) throw undefinedReference(pyStr(name), this.path);
    if (this.attribute === undefined) return;
    const attr = staticOrResolved(this.attribute, ctx);
    if (attr === undefined) return;
    const handle = ctx.resource(name);
    if (handle && (typeof attr !== 'string' || !handle.hasAttribute(attr))) {
      throw locatedError(
        this.path,
        `The Referenced Attribute (${pyStr(this.resourceName)} ${pyStr(attr)}) is incorrect.`,
      );
    }
  }

  resolve(ctx: ResolveContext): unknown {
    const name = resolveArg(this.resourceName, ctx);
    const handle = typeof name === 'string' ? ctx.resource(name) : undefined;
    if (!handle) throw unresolvedReference(name);
    if (this.attribute === undefined) return handle.allAttributes();
    const attr = resolveArg(this.attribute, ctx);
    const path = resolveArg(this.attributePath, ctx) as unknown[];
    if (this.mode === 'select' || this.mode === 'cfn') {
      const value = handle.attribute(String(attr), []);
      if (value === null || value === undefined) return null;
      return selectFromAttribute(value, path);
    }
    const value = handle.attribute(String(attr), path);
    return value === undefined ? null : value;
  }
}

function staticOrResolved(value: unknown, ctx: ValidateContext): unknown {
  if (isStatic(value)) return value;
  return ctx.resolver ? resolveArg(value, ctx.resolver) : undefined;
}

function readArgs(
  name: string,
  args: unknown,
  path: Path,
  mode: GetAttrMode,
): [unknown, unknown, readonly unknown[]] {
  if (mode === 'cfn') {
    if (!Array.isArray(args) || args.length !== 2) {
      throw locatedError(path, `Arguments to "${name}" must be of the form [resource_name, attribute]`);
    }
    return [args[0], args[1], []];
  }
  if (mode === 'all') {
    if (pyFalsy(args)) {
      throw locatedError(
        path,
        `Arguments to "${name}" can be of the next forms: [resource_name] or [resource_name, attribute, (path), ...]`,
      );
    }
    if (Array.isArray(args) && args.length === 1) return [args[0], undefined, []];
    if (typeof args === 'string' && args.length === 1) return [args, undefined, []];
  }
  if (!Array.isArray(args)) throw locatedError(path, `Argument to "${name}" must be a list`);
  if (args.length < 2) {
    throw locatedError(
      path,
      `Arguments to "${name}" must be of the form [resource_name, attribute, (path), ...]`,
    );
  }
  return [args[0], args[1], args.slice(2)];
}

const DESCRIPTION = 'A function for resolving resource attributes.';

/** Builds the `get_attr` spec of one generation. */
export function getAttrSpec(mode: GetAttrMode): FunctionSpec {
  return spec(DESCRIPTION, (name, args, path) => new GetAttr(name, args, path, mode));
}
