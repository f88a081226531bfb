/**
 * `map_replace` (≥ 2016-10-14): renaming keys and replacing (scalar) values of a map.
 */
import { IntrinsicFunction, isPlainMap, type ResolveContext } from './function.js';
import { putKey, resolveArg, resolveError, spec } from './support.js';

/** `map_replace: [map, {keys: {old: new}, values: {old: new}}]`. */
export class MapReplace extends IntrinsicFunction {
  private example(): string {
    return `"${this.name}" : [ { "key1": "val1" }, {"keys": {"key1": "key2"}, "values": {"val1": "val2"}}]`;
  }

  private ensureMap(value: unknown): Record<string, unknown> {
    if (value === null || value === undefined) return {};
    if (isPlainMap(value)) return value;
    throw resolveError(
      `Incorrect arguments: to "${this.name}", arguments must be a list of maps. Example:  ${this.example()}`,
    );
  }

  resolve(ctx: ResolveContext): unknown {
    const args = resolveArg(this.args, ctx);
    const usage = (): never => {
      throw resolveError(`Incorrect arguments to "${this.name}" should be: ${this.example()}`);
    };
    if (!Array.isArray(args) || args.length === 0) return usage();
    const input = this.ensureMap(args[0]);
    if (args.length < 2) return usage();
    const replacements = this.ensureMap(args[1]);
    if (args.length > 2) return usage();
    for (const k of Object.keys(replacements)) if (k !== 'keys' && k !== 'values') usage();
    const keyMap = this.ensureMap(replacements.keys ?? {});
    const valueMap = this.ensureMap(replacements.values ?? {});
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) {
      const renamed = Object.hasOwn(keyMap, k) ? keyMap[k] : null;
      let key = k;
      if (renamed !== null && renamed !== undefined) {
        key = String(renamed);
        if (Object.hasOwn(input, key) && key !== k) {
          throw resolveError(`key replacement ${key} collides with a key in the input map`);
        }
        if (Object.hasOwn(out, key))
          throw resolveError(`key replacement ${key} collides with a key in the output map`);
      }
      putKey(out, key, replaceValue(v, valueMap));
    }
    return out;
  }
}

/** Python's `values.get(v, v)`: only hashable (scalar) values are looked up; YAML keys are strings here. */
function replaceValue(value: unknown, valueMap: Record<string, unknown>): unknown {
  if (typeof value === 'string') return Object.hasOwn(valueMap, value) ? valueMap[value] : value;
  if (typeof value === 'number') {
    const key = String(value);
    return Object.hasOwn(valueMap, key) ? valueMap[key] : value;
  }
  return value;
}

/** `map_replace` (≥ 2016-10-14). */
export const mapReplaceSpec = spec(
  'A function for performing substitutions on maps.',
  (name, args, path) => new MapReplace(name, args, path),
);
