/**
 * Test helpers: parsing values under a template version and resolving them against an in-memory stack.
 * (Used by the functions' unit tests; the ResolveContext is the functions' input, so a fake is appropriate.)
 */
import { HeatError, type Path } from '../../errors.js';
import { getTemplateVersion } from '../../versions.js';
import {
  OMIT,
  parseValue,
  resolveValue,
  validateValue,
  type ParseContext,
  type ResolveContext,
  type ResourceHandle,
  type ValidateContext,
} from '../function.js';

/** A resource of the fake stack. */
export interface FakeResource {
  type?: string;
  refId?: string | null;
  attributes?: Record<string, unknown>;
}

/** What the fake stack holds. */
export interface FakeStack {
  parameters?: Record<string, unknown>;
  files?: Record<string, string>;
  resources?: Record<string, FakeResource>;
  conditions?: Record<string, boolean>;
  facade?: { metadata?: unknown; deletion_policy?: unknown; update_policy?: unknown };
  validating?: boolean;
}

/** The template-mode parse context of `version` (its condition mode reachable through `parseCondition`). */
export function parseContext(version: string): ParseContext {
  const v = getTemplateVersion(version);
  if (!v) throw new Error(`no version ${version}`);
  const make = (mode: 'template' | 'condition'): ParseContext => {
    const self: ParseContext = {
      table: v.table,
      mode,
      version: v.key,
      parse: (raw, path) => parseValue(raw, path, self),
      parseCondition: (raw, path) => parseValue(raw, path, contexts.condition),
    };
    return self;
  };
  const contexts = { template: make('template'), condition: make('condition') };
  return contexts.template;
}

/** Parses `raw` under `version` at `path` (default: an output value). */
export function parse(raw: unknown, version = '2021-04-16', path: Path = ['outputs', 'o', 'value']): unknown {
  return parseContext(version).parse(raw, path);
}

function handle(name: string, r: FakeResource, validating: boolean): ResourceHandle {
  return {
    name,
    type: r.type ?? 'OS::Heat::Value',
    referenceId: () => (validating ? null : (r.refId ?? name)),
    hasAttribute: (a) => Object.hasOwn(r.attributes ?? {}, a) || a === 'show',
    attributeNames: () => Object.keys(r.attributes ?? {}),
    attribute: (a, path) => {
      if (validating) return null;
      let v: unknown = (r.attributes ?? {})[a];
      for (const k of path) {
        if (v === null || typeof v !== 'object') return null;
        v = (v as Record<string, unknown>)[String(k)];
        if (v === undefined) return null;
      }
      return v ?? null;
    },
    allAttributes: () => (validating ? null : { ...(r.attributes ?? {}) }),
  };
}

/** A ResolveContext over `stack`. */
export function resolveContext(stack: FakeStack = {}): ResolveContext {
  const validating = stack.validating ?? false;
  return {
    identity: { stackId: 'sid-1', stackName: 'conf-001-abc', projectId: 'proj' },
    validating,
    parameter(name) {
      if (name === 'OS::stack_name') return 'conf-001-abc';
      if (name === 'OS::stack_id') return 'sid-1';
      if (name === 'OS::project_id') return 'proj';
      if (!Object.hasOwn(stack.parameters ?? {}, name)) {
        throw new HeatError('UserParameterMissing', `The Parameter (${name}) was not provided.`);
      }
      return (stack.parameters ?? {})[name];
    },
    file: (key) => (stack.files ?? {})[key],
    resource: (name) => {
      const r = (stack.resources ?? {})[name];
      return r ? handle(name, r, validating) : undefined;
    },
    condition(name) {
      if (!Object.hasOwn(stack.conditions ?? {}, name)) {
        throw new HeatError('StackValidationFailed', `Invalid condition "${name}"`);
      }
      return (stack.conditions ?? {})[name] as boolean;
    },
    facade: (kind) => (stack.facade ?? {})[kind],
  };
}

/** A ValidateContext over `stack` (with `resolver` when `withResolver`). */
export function validateContext(stack: FakeStack = {}, withResolver = false): ValidateContext {
  const rctx = resolveContext({ ...stack, validating: true });
  return {
    hasResource: (n) => Object.hasOwn(stack.resources ?? {}, n),
    resource: (n) => rctx.resource(n),
    hasCondition: (n) => Object.hasOwn(stack.conditions ?? {}, n),
    file: (k) => (stack.files ?? {})[k],
    ...(withResolver ? { resolver: rctx } : {}),
  };
}

/** Parses and resolves `raw` (top-level OMIT shown as `null`, as Heat shows an output). */
export function evaluate(raw: unknown, stack: FakeStack = {}, version = '2021-04-16'): unknown {
  const r = resolveValue(parse(raw, version), resolveContext(stack));
  return r === OMIT ? null : r;
}

/** Parses and validates `raw`. */
export function check(
  raw: unknown,
  stack: FakeStack = {},
  version = '2021-04-16',
  path: Path = ['outputs', 'o', 'value'],
): void {
  validateValue(parse(raw, version, path), validateContext(stack));
}

/** The message of what `fn` throws (fails the test when it does not throw). */
export function errorOf(fn: () => unknown): HeatError {
  try {
    fn();
  } catch (e) {
    if (e instanceof HeatError) return e;
    throw e;
  }
  throw new Error('expected an error');
}
