/**
 * `contains` (≥ 2017-09-01; also a condition function): membership in a list, or substring of a string.
 */
import type { Path } from '../errors.js';
import { IntrinsicFunction, type ResolveContext } from './function.js';
import { pyFalsy, pyIncludes, pyTypeName } from './python.js';
import { locatedError, resolveArg, resolveError, spec } from './support.js';

/** `contains: [value, sequence]`. */
export class Contains extends IntrinsicFunction {
  constructor(name: string, args: unknown, path: Path) {
    super(name, args, path);
    if (pyFalsy(args) || !Array.isArray(args)) {
      throw locatedError(
        path,
        `Incorrect arguments to "${name}" should be: "${name}" : [ "value1", [ "value1", "value2"]]`,
      );
    }
    if (args.length !== 2) {
      throw locatedError(path, `Arguments to "${name}" must be of the form: [value1, [value1, value2]]`);
    }
  }

  resolve(ctx: ResolveContext): unknown {
    const [rawValue, rawSequence] = this.args as unknown[];
    const value = resolveArg(rawValue, ctx);
    const sequence = resolveArg(rawSequence, ctx);
    if (typeof sequence === 'string') {
      if (typeof value !== 'string') {
        throw resolveError(`'in <string>' requires string as left operand, not ${pyTypeName(value)}`);
      }
      return sequence.includes(value);
    }
    if (!Array.isArray(sequence))
      throw resolveError(`Second argument to "${this.name}" should be a sequence.`);
    return pyIncludes(sequence, value);
  }
}

/** `contains`. */
export const containsSpec = spec(
  'A function for checking whether specific value is in sequence.',
  (name, args, path) => new Contains(name, args, path),
);
