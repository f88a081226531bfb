/**
 * `make_url` (≥ 2017-09-01): a correctly escaped URL from its parts.
 */
import {
  IntrinsicFunction,
  isPlainMap,
  validateValue,
  type ResolveContext,
  type ValidateContext,
} from './function.js';
import { PyError, pyInt, pyRepr, pyStr, pyTypeName } from './python.js';
import { locatedError, resolveArg, resolveError, spec } from './support.js';
import { pyQuote, pyUrlencode, pyUrlunsplit } from './url.js';

const KEYS = ['scheme', 'username', 'password', 'host', 'port', 'path', 'query', 'fragment'] as const;

/** `make_url: {scheme, username, password, host, port, path, query, fragment}`. */
export class MakeUrl extends IntrinsicFunction {
  /**
   * Heat's argument checks, in key order. Quirk kept: the check stops at `query`, so `fragment` is not checked
   * when `query` is given. Function values are skipped. Throws the bare message.
   */
  private checkArgs(args: Record<string, unknown>): void {
    for (const key of KEYS) {
      if (!Object.hasOwn(args, key)) continue;
      const value = args[key];
      if (key === 'query') {
        if (!(value instanceof IntrinsicFunction) && !isPlainMap(value)) {
          throw resolveError(`The "${key}" argument to "${this.name}" must be a map`);
        }
        return;
      }
      if (key === 'port') {
        if (value instanceof IntrinsicFunction) continue;
        let port: number;
        try {
          port = pyInt(value);
        } catch (e) {
          if (e instanceof PyError && e.kind === 'ValueError') {
            throw resolveError(
              `Invalid URL port "${pyStr(value)}" for ${this.name} called with ${pyRepr(args)}`,
            );
          }
          throw resolveError((e as Error).message);
        }
        if (!(port > 0 && port <= 65535))
          throw resolveError(`Invalid URL port ${port}, must be in range 1-65535`);
        continue;
      }
      if (!(value instanceof IntrinsicFunction) && typeof value !== 'string') {
        throw resolveError(`The "${key}" argument to "${this.name}" must be a string`);
      }
    }
  }

  override validate(ctx: ValidateContext): void {
    validateValue(this.args, ctx);
    const args = this.args;
    if (!isPlainMap(args)) throw locatedError(this.path, `The arguments to "${this.name}" must be a map`);
    const invalid = Object.keys(args).filter((k) => !(KEYS as readonly string[]).includes(k));
    if (invalid.length > 0) {
      throw locatedError(this.path, `Invalid arguments to "${this.name}": ${invalid.join(', ')}`);
    }
    try {
      this.checkArgs(args);
    } catch (e) {
      throw locatedError(this.path, (e as Error & { detail?: string }).detail ?? (e as Error).message);
    }
  }

  resolve(ctx: ResolveContext): unknown {
    const args = resolveArg(this.args, ctx);
    if (!isPlainMap(args)) throw resolveError(`The arguments to "${this.name}" must be a map`);
    this.checkArgs(args);
    const get = (key: string): string => (Object.hasOwn(args, key) ? (args[key] as string) : '');
    const scheme = get('scheme');
    if (scheme.includes(':')) throw resolveError(`URL "scheme" should not contain ':'`);
    let netloc = '';
    const username = pyQuote(get('username'), '');
    const password = pyQuote(get('password'), '');
    if (username || password) netloc += username + (password ? `:${password}` : '') + '@';
    let host = get('host');
    if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
    host = pyQuote(host, ':');
    netloc += host.includes(':') ? `[${host}]` : host;
    const port = Object.hasOwn(args, 'port') ? args.port : '';
    if (port !== '' && port !== null && port !== 0 && port !== false) netloc += `:${pyStr(port)}`;
    const path = pyQuote(get('path'));
    const query = pyUrlencode(
      Object.hasOwn(args, 'query') ? (args.query as Record<string, unknown>) : {},
    ).replaceAll('%2F', '/');
    const rawFragment = Object.hasOwn(args, 'fragment') ? args.fragment : '';
    if (typeof rawFragment !== 'string') {
      throw resolveError(`quote() doesn't support '${pyTypeName(rawFragment)}' objects`);
    }
    const fragment = pyQuote(rawFragment);
    return pyUrlunsplit(scheme, netloc, path, query, fragment);
  }
}

/** `make_url` (≥ 2017-09-01). */
export const makeUrlSpec = spec(
  'A function for performing substitutions on maps.',
  (name, args, path) => new MakeUrl(name, args, path),
);
