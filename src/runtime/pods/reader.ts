/**
 * A checking reader for manifest documents: every field is read through it, so unknown fields, wrong types and
 * bad values become problems with their exact path (`containers[0].ports[1].hostPort`) and the value received.
 */

/** One thing wrong with a manifest. */
export interface ManifestProblem {
  /** Where, e.g. `spec.containers[0].image`. */
  path: string;
  message: string;
}

/** A manifest that cannot be run; lists every problem found. */
export class PodManifestError extends Error {
  constructor(
    readonly pod: string,
    readonly problems: ManifestProblem[],
  ) {
    super(`pod ${pod}: invalid manifest: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.name = 'PodManifestError';
  }
}

/** A JSON object. */
export type Obj = Record<string, unknown>;

/** Collects problems while reading. */
export class Reader {
  readonly problems: ManifestProblem[] = [];

  /** Records a problem. */
  fail(path: string, message: string): undefined {
    this.problems.push({ path, message });
    return undefined;
  }

  /** `value` as an object whose keys are all in `allowed` (unknown keys are problems). */
  object(value: unknown, path: string, allowed: readonly string[]): Obj | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return this.fail(path, `must be an object, got ${show(value)}`);
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key))
        this.fail(join(path, key), `unknown field (allowed: ${allowed.join(', ')})`);
    }
    return value as Obj;
  }

  /** `obj[key]` as an array (absent: empty). */
  list(obj: Obj, key: string, path: string): unknown[] {
    const value = obj[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) return this.fail(join(path, key), `must be a list, got ${show(value)}`) ?? [];
    return value;
  }

  /** `obj[key]` as a string; `pattern` restricts it (described by `help`). */
  string(
    obj: Obj,
    key: string,
    path: string,
    opts: { required?: boolean; pattern?: RegExp; help?: string } = {},
  ): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null) {
      return opts.required ? this.fail(join(path, key), 'is required') : undefined;
    }
    if (typeof value !== 'string' || value === '')
      return this.fail(join(path, key), `must be a non-empty string, got ${show(value)}`);
    if (opts.pattern && !opts.pattern.test(value)) {
      return this.fail(
        join(path, key),
        `${show(value)} is not allowed (${opts.help ?? `must match ${opts.pattern}`})`,
      );
    }
    return value;
  }

  /** `obj[key]` as a list of strings. */
  strings(obj: Obj, key: string, path: string): string[] | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return ['/bin/sh', '-c', value];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      return this.fail(join(path, key), `must be a list of strings, got ${show(value)}`);
    }
    return value as string[];
  }

  /** `obj[key]` as an integer in [min, max]. */
  integer(
    obj: Obj,
    key: string,
    path: string,
    min: number,
    max: number,
    required = false,
  ): number | undefined {
    const value = obj[key];
    if (value === undefined || value === null)
      return required ? this.fail(join(path, key), 'is required') : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return this.fail(join(path, key), `must be an integer from ${min} to ${max}, got ${show(value)}`);
    }
    return value;
  }

  /** `obj[key]` as a boolean (absent: false). */
  boolean(obj: Obj, key: string, path: string): boolean {
    const value = obj[key];
    if (value === undefined || value === null) return false;
    if (typeof value !== 'boolean')
      return this.fail(join(path, key), `must be true or false, got ${show(value)}`) ?? false;
    return value;
  }
}

/** `path.key`, or `key` at the root. */
export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** A value, shortly, for messages. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Kubernetes' DNS label: pod, container, volume and port names. */
export const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** What {@link DNS_LABEL} means, for messages. */
export const DNS_LABEL_HELP =
  'lower-case letters, digits and -, at most 63, starting and ending alphanumeric';
