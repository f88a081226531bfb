/**
 * `map_merge` (≥ 2016-04-08): shallow merge of maps, left to right.
 */
import { IntrinsicFunction, isPlainMap, type ResolveContext } from './function.js';
import { pyClass, pyRepr } from './python.js';
import { putKey, resolveArg, resolveError, spec } from './support.js';

/** `map_merge: [map1, map2, …]`; `null` items count as `{}`. */
export class MapMerge extends IntrinsicFunction {
  resolve(ctx: ResolveContext): unknown {
    const args = resolveArg(this.args, ctx);
    if (!Array.isArray(args) && typeof args !== 'string') {
      throw resolveError(
        `Incorrect arguments to "${this.name}" should be: "${this.name}" : [ { "key1": "val1" }, { "key2": "val2" } ]`,
      );
    }
    const out: Record<string, unknown> = {};
    for (const item of args) {
      if (item === null || item === undefined) continue;
      if (!isPlainMap(item)) {
        throw resolveError(
          `Incorrect arguments: Items to merge must be maps. ${pyRepr(item).slice(0, 200)} is type ${pyClass(item)} instead of a dict`,
        );
      }
      for (const [k, v] of Object.entries(item)) putKey(out, k, v);
    }
    return out;
  }
}

/** `map_merge` (≥ 2016-04-08). */
export const mapMergeSpec = spec(
  'A function for merging maps.',
  (name, args, path) => new MapMerge(name, args, path),
);
