/**
 * The stack definition: a template seen through one set of parameter values — conditions evaluated, resources
 * whose condition is false left out, outputs marked enabled or not, deletion policies resolved and checked, and
 * each resource's dependencies (get_resource/get_attr references and depends_on) computed.
 */
import { HeatError, throwIfProblems, type Path } from './errors.js';
import {
  IntrinsicFunction,
  OMIT,
  isPlainMap,
  resolveValue,
  type ResolveContext,
} from './functions/function.js';
import { If } from './functions/if.js';
import { ConditionResolver } from './conditions.js';
import { collect } from './sections/guard.js';
import type { OutputSource, ResourceSource } from './sections/model.js';
import { locateProblems } from './sections/positions.js';
import { pythonStr } from './sections/python.js';
import type { Template } from './template.js';

/** A resource of the definition. */
export interface ResourceDefinition extends ResourceSource {
  /** Names of the (enabled) resources it depends on: get_resource/get_attr references and depends_on. */
  readonly requires: ReadonlySet<string>;
  /** The resolved deletion policy, normalised to `Delete` | `Retain` | `Snapshot`. */
  readonly deletionPolicyValue: DeletionPolicy;
}

/** Heat's deletion policies. */
export type DeletionPolicy = 'Delete' | 'Retain' | 'Snapshot';

/** An output of the definition; a disabled output's value is `null`. */
export type OutputDefinition = OutputSource & { readonly enabled: boolean };

/** A template under one set of parameter values. */
export interface StackDefinition {
  readonly template: Template;
  /** The value of every condition that evaluates (a failing condition nothing uses is left out, as Heat ignores it). */
  readonly conditions: ReadonlyMap<string, boolean>;
  /** Only the resources whose condition is true, in template order. */
  readonly resources: ReadonlyMap<string, ResourceDefinition>;
  /** Every output (`enabled: false` when its condition is false). */
  readonly outputs: ReadonlyMap<string, OutputDefinition>;
  /** `ctx` with `condition(name)` answered from {@link StackDefinition.conditions}: resolve values with it. */
  readonly context: ResolveContext;
}

const POLICIES: Record<string, DeletionPolicy> = { Delete: 'Delete', Retain: 'Retain', Snapshot: 'Snapshot' };
const LOWERCASE_POLICIES: Record<string, DeletionPolicy> = {
  delete: 'Delete',
  retain: 'Retain',
  snapshot: 'Snapshot',
};

/**
 * Builds the definition of `t` under the parameters of `ctx`.
 * @throws HeatError / ValidationFailure (located) for condition problems and invalid deletion policies.
 */
export function buildDefinition(t: Template, ctx: ResolveContext): StackDefinition {
  const problems: HeatError[] = [];
  const resolver = new ConditionResolver(t, ctx);
  const context = resolver.context;

  const enabled = new Map<string, ResourceSource>();
  for (const [name, source] of t.resources) {
    const on = collect(
      problems,
      [...source.path, 'condition'],
      () => resolver.evaluateAt(source.condition, [...source.path, 'condition']),
      false,
    );
    if (on) enabled.set(name, source);
  }

  const resources = new Map<string, ResourceDefinition>();
  for (const [name, source] of enabled) {
    const policyPath: Path = [...source.path, 'deletion_policy'];
    const deletionPolicyValue = collect(
      problems,
      policyPath,
      () => deletionPolicyOf(t, source, context, policyPath),
      'Delete' as DeletionPolicy,
    );
    resources.set(name, { ...source, deletionPolicyValue, requires: requiresOf(source, enabled, context) });
  }

  const outputs = new Map<string, OutputDefinition>();
  for (const [name, source] of t.outputs) {
    const condPath = [...source.path, 'condition'];
    const on = collect(problems, condPath, () => resolver.evaluateAt(source.condition, condPath), false);
    outputs.set(name, on ? { ...source, enabled: true } : { ...source, value: null, enabled: false });
  }

  throwIfProblems(locateProblems(dedupe(problems), t.doc));
  // Like Heat, conditions nothing evaluated so far only fail when something uses them (an `if`, via `context`).
  const conditions = new Map<string, boolean>();
  for (const name of t.conditions.keys()) {
    try {
      conditions.set(name, resolver.isEnabled(name));
    } catch {
      // left out: `context.condition(name)` reports the problem where the condition is used
    }
  }
  return { template: t, conditions, resources, outputs, context };
}

function deletionPolicyOf(
  t: Template,
  source: ResourceSource,
  ctx: ResolveContext,
  path: Path,
): DeletionPolicy {
  if (source.deletionPolicy === undefined) return 'Delete';
  const value = resolveValue(source.deletionPolicy, ctx);
  if (value === null || value === undefined) return 'Delete';
  const policy =
    typeof value === 'string'
      ? (POLICIES[value] ?? (t.version.supportsConditions ? LOWERCASE_POLICIES[value] : undefined))
      : undefined;
  if (!policy) {
    throw new HeatError('StackValidationFailed', `Invalid deletion policy "${pythonStr(value)}"`, {
      path,
      hint: t.version.supportsConditions
        ? 'deletion_policy is Delete, Retain or Snapshot (or lower case)'
        : 'deletion_policy is Delete, Retain or Snapshot',
    });
  }
  return policy;
}

/** The enabled resources `source` depends on, through function references or depends_on. */
function requiresOf(
  source: ResourceSource,
  enabled: ReadonlyMap<string, ResourceSource>,
  ctx: ResolveContext,
): Set<string> {
  const requires = new Set<string>();
  for (const field of [source.properties, source.metadata, source.updatePolicy, source.externalId]) {
    for (const name of referencedResources(field, ctx)) if (enabled.has(name)) requires.add(name);
  }
  for (const dep of source.dependsOn) if (enabled.has(dep)) requires.add(dep);
  return requires;
}

/**
 * Resource names `value` refers to. As in Heat, an `if` contributes only the branch its condition selects (both,
 * when the condition cannot be evaluated); other references marked `conditional` (an `if` branch seen from an
 * enclosing function) are left to that `if`, except CFN `Ref`s, which count when the name is a resource.
 */
export function referencedResources(value: unknown, ctx: ResolveContext): Set<string> {
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (v instanceof If) {
      let branch: unknown;
      try {
        branch = v.chosen(ctx);
      } catch {
        for (const ref of v.references()) names.add(ref.resource);
        return;
      }
      if (branch !== OMIT) walk(branch);
    } else if (v instanceof IntrinsicFunction) {
      for (const ref of v.references()) if (!ref.conditional || ref.via === 'Ref') names.add(ref.resource);
      walk(v.args);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (isPlainMap(v)) Object.values(v).forEach(walk);
  };
  walk(value);
  return names;
}

/** A cycle found while evaluating one condition is found again by every condition that reaches it: report it once. */
function dedupe(problems: HeatError[]): HeatError[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.type}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The value of output `name`: null when disabled by its condition, and null (Heat's `None`) when the whole value is
 * a false two-argument `if`. Resolution errors are thrown (the caller turns them into `output_error`).
 * @param ctx defaults to the definition's context; pass a live one (with the same conditions) after actions.
 */
export function resolveOutput(
  def: StackDefinition,
  name: string,
  ctx: ResolveContext = def.context,
): unknown {
  const output = def.outputs.get(name);
  if (!output || !output.enabled) return null;
  const value = resolveValue(output.value, ctx);
  return value === OMIT ? null : value;
}
