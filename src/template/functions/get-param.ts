/**
 * `get_param`: a parameter's typed value (pseudo parameters included), optionally walked by a path.
 */
import { IntrinsicFunction, type ResolveContext } from './function.js';
import { selectFromParameter } from './path.js';
import { pyFalsy } from './python.js';
import { resolveArg, resolveError, spec } from './support.js';

/** `get_param: name` or `get_param: [name, key|index, …]`; a path miss gives `''`. */
export class GetParam extends IntrinsicFunction {
  resolve(ctx: ResolveContext): unknown {
    const args = resolveArg(this.args, ctx);
    if (pyFalsy(args)) throw resolveError(`Function "${this.name}" must have arguments`);
    let name: unknown;
    let path: readonly unknown[] = [];
    if (typeof args === 'string') name = args;
    else if (Array.isArray(args)) {
      name = args[0];
      path = args.slice(1);
    } else throw resolveError(`Argument to "${this.name}" must be string or list`);
    if (typeof name !== 'string') throw resolveError(`Parameter name in "${this.name}" must be string`);
    return selectFromParameter(ctx.parameter(name), path);
  }
}

/** `get_param` (every version, also a condition function). */
export const getParamSpec = spec(
  'A function for resolving parameter references.',
  (name, args, path) => new GetParam(name, args, path),
);
