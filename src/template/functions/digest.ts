/**
 * `digest` (≥ 2015-04-30): the lowercase hex digest of a string encoded as latin-1.
 */
import { createHash } from 'node:crypto';
import { IntrinsicFunction, type ResolveContext } from './function.js';
import { pyRepr } from './python.js';
import { resolveArg, resolveError, spec } from './support.js';

/** Python `hashlib` algorithm names (as `algorithms_available` lists them) → Node names; null: no hexdigest(). */
const ALGORITHMS: Readonly<Record<string, string | null>> = {
  blake2b: 'blake2b512',
  blake2s: 'blake2s256',
  md5: 'md5',
  'md5-sha1': 'md5-sha1',
  ripemd160: 'ripemd160',
  sha1: 'sha1',
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  sha3_224: 'sha3-224',
  sha3_256: 'sha3-256',
  sha3_384: 'sha3-384',
  sha3_512: 'sha3-512',
  sha512: 'sha512',
  sha512_224: 'sha512-224',
  sha512_256: 'sha512-256',
  shake_128: null,
  shake_256: null,
  sm3: 'sm3',
};

/** Python's `set` repr of the supported algorithm names. */
function algorithmSet(): string {
  return `{${Object.keys(ALGORITHMS)
    .map((a) => pyRepr(a))
    .join(', ')}}`;
}

/** Encodes as latin-1, failing like Python's codec for characters above U+00FF. */
function latin1(text: string): Buffer {
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i) ?? 0;
    if (code > 0xff) {
      const ch =
        code > 0xffff
          ? `\\U${code.toString(16).padStart(8, '0')}`
          : `\\u${code.toString(16).padStart(4, '0')}`;
      throw resolveError(
        `'latin-1' codec can't encode character '${ch}' in position ${i}: ordinal not in range(256)`,
      );
    }
  }
  return Buffer.from(text, 'latin1');
}

/** `digest: [algorithm, value]`. All checks happen when resolving (as in Heat). */
export class Digest extends IntrinsicFunction {
  resolve(ctx: ResolveContext): unknown {
    const args = resolveArg(this.args, ctx);
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
      throw resolveError(`Argument to function "${this.name}" must be a list of strings`);
    }
    if (args.length !== 2) throw resolveError(`Function "${this.name}" usage: ["<algorithm>", "<value>"]`);
    const [algorithm, value] = args as [string, string];
    const key = algorithm.toLowerCase();
    if (!Object.hasOwn(ALGORITHMS, key)) throw resolveError(`Algorithm must be one of ${algorithmSet()}`);
    const nodeName = ALGORITHMS[key];
    if (!nodeName) throw resolveError("hexdigest() missing required argument 'length' (pos 1)");
    return createHash(nodeName).update(latin1(value)).digest('hex');
  }
}

/** `digest` (≥ 2015-04-30). */
export const digestSpec = spec(
  'A function for performing digest operations.',
  (name, args, path) => new Digest(name, args, path),
);
