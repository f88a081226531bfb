/**
 * The CFN functions HOT 2013-05-23 still carries: `Fn::Select` (until 2015-04-30), `Fn::Split`, `Fn::Base64`,
 * `Fn::MemberListToMap`, `Fn::GetAZs` and `Ref` (`Fn::Join`, `Fn::Replace`, `Fn::ResourceFacade` live with their
 * HOT counterparts).
 */
import { HeatError, type Path } from '../errors.js';
import {
  IntrinsicFunction,
  isPlainMap,
  referencesIn,
  validateValue,
  type ResolveContext,
  type ResourceReference,
  type ValidateContext,
} from './function.js';
import { pyClass, pyIndex, pyInt, pySplit } from './python.js';
import {
  asResolveError,
  locatedError,
  putKey,
  resolveArg,
  resolveError,
  spec,
  unresolvedReference,
} from './support.js';

/** `Fn::Select: [index, list | map | JSON text]`; misses give `''`. */
export class Select extends IntrinsicFunction {
  constructor(name: string, args: unknown, path: Path) {
    super(name, args, path);
    if (!Array.isArray(args) || args.length !== 2) {
      throw locatedError(path, `Arguments to "${name}" must be of the form [index, collection]`);
    }
  }

  resolve(ctx: ResolveContext): unknown {
    const [rawIndex, rawCollection] = this.args as unknown[];
    let index = resolveArg(rawIndex, ctx);
    let collection = resolveArg(rawCollection, ctx);
    if (collection === '') return '';
    if (typeof collection === 'string') {
      try {
        collection = JSON.parse(collection);
      } catch (e) {
        throw resolveError(`"${this.name}": ${(e as Error).message}`);
      }
    }
    if (isPlainMap(collection)) {
      if (typeof index !== 'string') throw resolveError(`Index to "${this.name}" must be a string`);
      return Object.hasOwn(collection, index) ? collection[index] : '';
    }
    try {
      index = pyInt(index);
    } catch {
      // Heat keeps the index as it is when int() fails.
    }
    if (Array.isArray(collection)) {
      if (typeof index !== 'number') throw resolveError(`Index to "${this.name}" must be an integer`);
      const picked = pyIndex(collection, index);
      return picked.found ? picked.value : '';
    }
    if (collection === null || collection === undefined) return '';
    throw resolveError(`Arguments to ${this.name} not fully resolved`);
  }
}

/** `Fn::Split: [delimiter, string]`. */
export class Split extends IntrinsicFunction {
  constructor(name: string, args: unknown, path: Path) {
    super(name, args, path);
    if (!Array.isArray(args) || args.length !== 2) {
      throw locatedError(
        path,
        `Incorrect arguments to "${name}" should be: "${name}" : [ ",", "str1,str2"]]`,
      );
    }
  }

  resolve(ctx: ResolveContext): unknown {
    const [delim, rawText] = this.args as unknown[];
    const text = resolveArg(rawText, ctx);
    if (typeof delim !== 'string') throw resolveError(`Delimiter for ${this.name} must be string`);
    if (typeof text !== 'string') throw resolveError(`String to split must be string; got ${pyClass(text)}`);
    try {
      return pySplit(text, delim);
    } catch (e) {
      return asResolveError(e);
    }
  }
}

/** `Fn::Base64: string` — returns the string unchanged (Heat takes user data as plain text). */
export class Base64 extends IntrinsicFunction {
  resolve(ctx: ResolveContext): unknown {
    const value = resolveArg(this.args, ctx);
    if (typeof value !== 'string') throw resolveError(`"${this.name}" argument must be a string`);
    return value;
  }
}

const MEMBER = /^\.member\.([0-9]+)\.(.*)$/s;

/** `Fn::MemberListToMap: [keyName, valueName, ['.member.0.Name=k', '.member.0.Value=v', …]]`. */
export class MemberListToMap extends IntrinsicFunction {
  constructor(name: string, args: unknown, path: Path) {
    super(name, args, path);
    if (!Array.isArray(args) || args.length !== 3) {
      throw locatedError(
        path,
        `Wrong Arguments try: "{'Fn::MemberListToMap': ['Name', 'Value', ['.member.0.Name=key', '.member.0.Value=door']]}"`,
      );
    }
    if (typeof args[0] !== 'string') throw locatedError(path, `${name} Key Name must be a string`);
    if (typeof args[1] !== 'string') throw locatedError(path, `${name} Value Name must be a string`);
  }

  resolve(ctx: ResolveContext): unknown {
    const [keyName, valueName, rawList] = this.args as [string, string, unknown];
    const list = resolveArg(rawList, ctx);
    if (!Array.isArray(list)) throw resolveError('Member list must be a list');
    const partials = new Map<string, string>();
    list.forEach((item, i) => {
      if (typeof item !== 'string') throw resolveError('Member list items must be strings');
      const eq = item.indexOf('=');
      if (eq < 0) {
        throw resolveError(`dictionary update sequence element #${i} has length 1; 2 is required`);
      }
      partials.set(item.slice(0, eq), item.slice(eq + 1));
    });
    const members = new Map<number, Map<string, string>>();
    for (const [name, value] of partials) {
      const m = MEMBER.exec(name);
      if (!m) continue;
      const index = Number(m[1]);
      if (!members.has(index)) members.set(index, new Map());
      members.get(index)?.set(m[2] as string, value);
    }
    const out: Record<string, unknown> = {};
    for (const index of [...members.keys()].sort((a, b) => a - b)) {
      const member = members.get(index) as Map<string, string>;
      if (member.has(keyName) && member.has(valueName)) {
        putKey(out, member.get(keyName) as string, member.get(valueName));
      }
    }
    return out;
  }
}

/** `Fn::GetAZs: region` — Hearth has one availability zone, `nova`. */
export class GetAZs extends IntrinsicFunction {
  resolve(): unknown {
    return ['nova'];
  }
}

/** `Ref: name` — a resource's reference id if a resource has that name, else the parameter's value. */
export class Ref extends IntrinsicFunction {
  override references(): ResourceReference[] {
    const own: ResourceReference[] =
      typeof this.args === 'string'
        ? [{ resource: this.args, via: this.name, path: this.path, conditional: true }]
        : [];
    return [...own, ...referencesIn(this.args)];
  }

  override validate(ctx: ValidateContext): void {
    validateValue(this.args, ctx);
    const name = this.args;
    if (typeof name !== 'string' || ctx.hasResource(name) || !ctx.resolver) return;
    try {
      ctx.resolver.parameter(name);
    } catch (e) {
      if (e instanceof HeatError && e.type === 'UserParameterMissing') {
        throw locatedError(this.path, `The specified reference "${name}" (in unknown) is incorrect.`);
      }
      throw e;
    }
  }

  resolve(ctx: ResolveContext): unknown {
    const name = resolveArg(this.args, ctx);
    if (typeof name !== 'string') throw unresolvedReference(name);
    const handle = ctx.resource(name);
    if (handle) return handle.referenceId();
    try {
      return ctx.parameter(name);
    } catch (e) {
      if (e instanceof HeatError && e.type === 'UserParameterMissing') throw unresolvedReference(name);
      throw e;
    }
  }
}

/** `Fn::Select` (2013-05-23 … 2015-04-30). */
export const selectSpec = spec(
  'A function for selecting an item from a list or map.',
  (name, args, path) => new Select(name, args, path),
);
/** `Fn::Split` (2013-05-23). */
export const splitSpec = spec(
  'A function for splitting strings.',
  (name, args, path) => new Split(name, args, path),
);
/** `Fn::Base64` (2013-05-23). */
export const base64Spec = spec(
  'A placeholder function for converting to base64.',
  (name, args, path) => new Base64(name, args, path),
);
/** `Fn::MemberListToMap` (2013-05-23). */
export const memberListToMapSpec = spec(
  'A function to convert lists with enumerated keys and values to mapping.',
  (name, args, path) => new MemberListToMap(name, args, path),
);
/** `Fn::GetAZs` (2013-05-23). */
export const getAZsSpec = spec(
  'A function for retrieving the availability zones.',
  (name, args, path) => new GetAZs(name, args, path),
);
/** `Ref` (2013-05-23). */
export const refSpec = spec(
  'A function for resolving parameters or resource references.',
  (name, args, path) => new Ref(name, args, path),
);
