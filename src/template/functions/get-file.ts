/**
 * `get_file`: the content uploaded in the request's `files` map under a key.
 */
import { IntrinsicFunction, type ResolveContext } from './function.js';
import { resolveArg, resolveError, spec } from './support.js';

/** `get_file: key`. A missing key is found when resolving (Heat has no static check). */
export class GetFile extends IntrinsicFunction {
  resolve(ctx: ResolveContext): unknown {
    const key = resolveArg(this.args, ctx);
    if (typeof key !== 'string') throw resolveError(`Argument to "${this.name}" must be a string`);
    const content = ctx.file(key);
    if (content === undefined || content === null) {
      throw resolveError(`No content found in the "files" section for ${this.name} path: ${key}`);
    }
    return content;
  }
}

/** `get_file` (every version). */
export const getFileSpec = spec(
  'A function for including a file inline.',
  (name, args, path) => new GetFile(name, args, path),
);
