/**
 * OS::Heat::ResourceGroup — `count` identically defined members in a child stack (Heat's `ResourceGroup`).
 *
 * Members are named `0, 1, 2 …` skipping the names in the persisted skiplist (`name_blacklist` data, filled by
 * `removal_policies`; `removal_policies_mode: update` replaces it instead of appending), so scaling down
 * removes the highest indices and explicitly removed names are never reused. `index_var` (default `%index%`)
 * is replaced by the member name in every string of `resource_def.properties`. `update_policy` `batch_create`
 * (create) and `rolling_update` (a `resource_def` change) run as Heat runs them: a series of child-stack
 * updates, each changing at most `max_batch_size` members (highest indices first; `min_in_service` members kept;
 * `pause_time` seconds between batches); batch_create first creates the child empty.
 *
 * Attributes (read from a snapshot of the child's members taken at the end of each action): `refs`,
 * `refs_map`, `attributes` (needs a path: member name → that attribute), `removed_rsrc_list`, `resource.N`
 * (member reference), `resource.N.attr`, and any other name → the list of that attribute over the members.
 */
import type {
  ActionContext,
  ActionResult,
  NestedMember,
  NestedStackResult,
  NestedUpdateOptions,
  Properties,
  PropertySchema,
  ResourcePlugin,
  ResourceState,
} from '../../engine/plugin.js';
import { validateProperties } from '../../engine/properties.js';
import { pyStr } from '../../template/parameters/python.js';
import { selectFromAttribute } from '../support/attribute-path.js';
import { defaultReferenceId } from '../support/common.js';
import { invalidAttribute } from '../support/errors.js';
import { failIfNestedFailed, nestedMemberActions, updatePolicyOf } from '../support/nested-action.js';
import { batches, memberDefinitions, type MemberDefinition } from '../support/rolling-update.js';
import {
  memberAttribute,
  memberNotFound,
  nestedResourceAttribute,
  readMembers,
  snapshotMembers,
  splitMax,
} from '../support/nested-snapshot.js';

const SKIPLIST_KEY = 'name_blacklist';
const NAMES_KEY = 'names';
const MEMBERS_KEY = 'members';
const TEMPLATE_KEY = 'child_template';
const GROUP_ATTRIBUTES = ['refs', 'refs_map', 'attributes', 'removed_rsrc_list'];

/** Schema of a ResourceGroup's `update_policy` (for the engine's validation and this plugin's parsing). */
export const RESOURCE_GROUP_UPDATE_POLICY_SCHEMA: Readonly<Record<string, PropertySchema>> = {
  rolling_update: {
    type: 'map',
    schema: {
      min_in_service: { type: 'integer', default: 0, constraints: [{ kind: 'range', min: 0 }] },
      max_batch_size: { type: 'integer', default: 1, constraints: [{ kind: 'range', min: 1 }] },
      pause_time: { type: 'number', default: 0, constraints: [{ kind: 'range', min: 0 }] },
    },
  },
  batch_create: {
    type: 'map',
    schema: {
      max_batch_size: { type: 'integer', default: 1, constraints: [{ kind: 'range', min: 1 }] },
      pause_time: { type: 'number', default: 0, constraints: [{ kind: 'range', min: 0 }] },
    },
  },
};

/** Batching options, plus Heat's `min_in_service` for rolling updates. */
export interface GroupBatchOptions extends NestedUpdateOptions {
  minInService?: number;
}

interface ParsedPolicy {
  rolling?: GroupBatchOptions;
  batch?: GroupBatchOptions;
}

function parsePolicy(resourceName: string, raw: unknown): ParsedPolicy {
  if (raw === null || raw === undefined || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const known = Object.fromEntries(
    Object.entries(raw).filter(([k]) => Object.hasOwn(RESOURCE_GROUP_UPDATE_POLICY_SCHEMA, k)),
  );
  const { properties } = validateProperties(RESOURCE_GROUP_UPDATE_POLICY_SCHEMA, known, {
    resourceName,
    validating: false,
  });
  const out: ParsedPolicy = {};
  const rolling = properties['rolling_update'] as Record<string, number> | null;
  const batch = properties['batch_create'] as Record<string, number> | null;
  if (rolling && Object.keys(known).includes('rolling_update')) {
    out.rolling = {
      maxBatchSize: rolling['max_batch_size'] ?? 1,
      pauseTime: rolling['pause_time'] ?? 0,
      minInService: rolling['min_in_service'] ?? 0,
    };
  }
  if (batch && Object.keys(known).includes('batch_create')) {
    out.batch = { maxBatchSize: batch['max_batch_size'] ?? 1, pauseTime: batch['pause_time'] ?? 0 };
  }
  return out;
}

/** The skiplist stored in the resource data. */
export function currentSkiplist(data: Record<string, unknown>): string[] {
  const v = data[SKIPLIST_KEY];
  return typeof v === 'string' && v !== '' ? v.split(',') : [];
}

/** The first `count` names `0, 1, 2 …` not in `skip`. */
export function memberNames(skip: ReadonlySet<string>, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) if (!skip.has(String(i))) out.push(String(i));
  return out;
}

/** Entries of every `removal_policies[].resource_list`. */
function removalEntries(properties: Properties): unknown[] {
  const policies = Array.isArray(properties['removal_policies']) ? properties['removal_policies'] : [];
  return policies.flatMap((p: unknown) => {
    const list = p && typeof p === 'object' ? (p as Record<string, unknown>)['resource_list'] : undefined;
    return Array.isArray(list) ? list : [];
  });
}

/**
 * Heat's `_get_new_skiplist_entries`: names to skip from `removal_policies`. An entry is taken as a name when it
 * is already skipped, when the group was never created, or when it names a current member; otherwise a string
 * entry is matched against member references (the `refs` values).
 */
function newSkiplistEntries(
  properties: Properties,
  current: ReadonlySet<string>,
  created: boolean,
  members: readonly NestedMember[],
): string[] {
  const names = new Set(members.map((m) => m.name));
  const out: string[] = [];
  for (const n of removalEntries(properties)) {
    const s = pyStr(n);
    if (current.has(s) || !created || names.has(s)) out.push(s);
    else if (typeof n === 'string') {
      const byRef = members.find((m) => m.referenceId === n);
      if (byRef) out.push(byRef.name);
    }
  }
  return out;
}

/** Replaces `indexVar` by `name` in every string (map values and list items, recursively). */
export function replaceIndexVar(value: unknown, indexVar: string, name: string): unknown {
  if (typeof value === 'string') return indexVar === '' ? value : value.split(indexVar).join(name);
  if (Array.isArray(value)) return value.map((v) => replaceIndexVar(v, indexVar, name));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceIndexVar(v, indexVar, name)]));
  }
  return value;
}

/** One member's definition from `resource_def` (null properties dropped, `index_var` replaced by `name`). */
export function memberDefinition(properties: Properties, name: string): Record<string, unknown> {
  const def = (properties['resource_def'] ?? {}) as Record<string, unknown>;
  const indexVar = typeof properties['index_var'] === 'string' ? properties['index_var'] : '%index%';
  const rawProps = def['properties'];
  const cleanProps =
    rawProps && typeof rawProps === 'object'
      ? Object.fromEntries(Object.entries(rawProps).filter(([, v]) => v !== null && v !== undefined))
      : null;
  const member: Record<string, unknown> = { type: def['type'] };
  if (cleanProps && Object.keys(cleanProps).length > 0) {
    member['properties'] = replaceIndexVar(cleanProps, indexVar, name);
  }
  if (def['metadata'] !== null && def['metadata'] !== undefined) member['metadata'] = def['metadata'];
  return member;
}

/** A child template holding `members` in order. */
function templateOf(members: readonly MemberDefinition[]): Record<string, unknown> {
  return { heat_template_version: '2015-04-30', resources: Object.fromEntries(members) };
}

/** The child template: one resource per member name, from `resource_def` (null properties dropped). */
export function groupTemplate(properties: Properties, names: readonly string[]): Record<string, unknown> {
  return templateOf(names.map((n) => [n, memberDefinition(properties, n)] as const));
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** How the child gets to its new shape: in one child action, or in batches (Heat's `_replace`). */
type Plan =
  | { readonly kind: 'single' }
  | {
      readonly kind: 'batched';
      readonly minInService: number;
      readonly batchSize: number;
      readonly pause: number;
    };

/** The definitions the child was last given (stored before each child action), by member name. */
function lastDefinitions(data: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const t = data[TEMPLATE_KEY];
  const resources = t && typeof t === 'object' ? (t as Record<string, unknown>)['resources'] : undefined;
  return resources && typeof resources === 'object'
    ? (resources as Record<string, Record<string, unknown>>)
    : {};
}

/**
 * Heat's `_assemble_for_rolling_update`: the child template of one batch. Existing members (not skipped, not
 * failed) are ordered for replacement — members beyond the new names first (removed), then the highest
 * indices — and at most `updates` of them (new members included) get the new definition.
 */
function batchTemplate(
  properties: Properties,
  oldProperties: Properties,
  skip: ReadonlySet<string>,
  members: readonly NestedMember[],
  stored: Record<string, Record<string, unknown>>,
  capacity: number,
  updates: number,
): Record<string, unknown> {
  const names = memberNames(skip, capacity);
  const target = typeof properties['count'] === 'number' ? properties['count'] : 1;
  const valid: MemberDefinition[] = members
    .filter((m) => !skip.has(m.name) && m.status !== 'FAILED')
    .map((m) => [m.name, stored[m.name] ?? memberDefinition(oldProperties, m.name)] as const);
  const priority = ([name]: MemberDefinition): number => {
    const index = names.indexOf(name);
    if (index < 0) return 0;
    return index < target ? target - index : capacity;
  };
  const ordered = valid
    .map((m, i) => ({ m, i, p: priority(m) }))
    .sort((a, b) => a.p - b.p || a.i - b.i)
    .map((x) => x.m);
  const existing = new Set(valid.map(([n]) => n));
  const fresh = names.filter((n) => !existing.has(n));
  let next = 0;
  const defs = memberDefinitions(
    ordered,
    (n) => memberDefinition(properties, n),
    capacity,
    updates,
    () => fresh[next++] ?? String(names.length + next),
  );
  return templateOf(defs);
}

/** Runs the child action(s) for the group's new shape and snapshots the result. */
async function converge(
  ctx: ActionContext,
  action: 'CREATE' | 'UPDATE',
  properties: Properties,
  oldProperties: Properties,
  skiplist: ReadonlySet<string>,
  plan: Plan,
): Promise<ActionResult> {
  const count = typeof properties['count'] === 'number' ? properties['count'] : 1;
  const names = memberNames(skiplist, count);
  const skiplistText = [...skiplist].sort().join(',');
  let data: Record<string, unknown> = { ...ctx.state.data, [SKIPLIST_KEY]: skiplistText, [NAMES_KEY]: names };
  await ctx.saveData(data);
  const run = async (template: Record<string, unknown>): Promise<NestedStackResult> => {
    data = { ...data, [TEMPLATE_KEY]: template };
    await ctx.saveData({ [TEMPLATE_KEY]: template });
    const result = await ctx.nested.createOrUpdate({ template });
    await failIfNestedFailed(ctx, action, result, {
      ...data,
      [MEMBERS_KEY]: snapshotMembers(result.members),
    });
    return result;
  };
  let result: NestedStackResult | null = null;
  if (plan.kind === 'batched') {
    let current = await ctx.nested.current();
    if (!current) current = await run(templateOf([]));
    const members = current.members;
    const skippedLive = members.filter((m) => skiplist.has(m.name) && m.status !== 'FAILED').length;
    const steps = batches(
      count,
      members.length - skippedLive,
      plan.batchSize,
      plan.minInService,
      'resource-group',
    );
    for (const [i, step] of steps.entries()) {
      const live = (await ctx.nested.current())?.members ?? [];
      const template = batchTemplate(
        properties,
        oldProperties,
        skiplist,
        live,
        lastDefinitions(data),
        step.capacity,
        step.updates,
      );
      result = await run(template);
      if (i < steps.length - 1 && plan.pause > 0) await ctx.sleep(plan.pause * 1000);
    }
  }
  result ??= await run(groupTemplate(properties, names));
  const members = snapshotMembers(result.members);
  data = { ...data, [MEMBERS_KEY]: members };
  const refs = names.map((n) => members[n]?.ref ?? null);
  return {
    physicalId: result.stackId,
    data,
    attributes: {
      refs,
      refs_map: Object.fromEntries(names.map((n, i) => [n, refs[i]])),
      removed_rsrc_list: [...skiplist].sort(),
    },
  };
}

/** Member names of the last action (in index order). */
function namesOf(state: Readonly<ResourceState>): string[] {
  const v = state.data[NAMES_KEY];
  return Array.isArray(v) ? v.map(String) : [];
}

/** The OS::Heat::ResourceGroup plugin. */
export const resourceGroupResource: ResourcePlugin & {
  readonly updatePolicySchema: Readonly<Record<string, PropertySchema>>;
} = {
  type: 'OS::Heat::ResourceGroup',
  updateFailedInPlace: true,
  description: 'Creates one or more identically configured nested resources.',
  supportStatus: { status: 'SUPPORTED', version: '2014.1' },
  updatePolicySchema: RESOURCE_GROUP_UPDATE_POLICY_SCHEMA,
  properties: {
    count: {
      type: 'integer',
      description: 'The number of resources to create.',
      default: 1,
      constraints: [{ kind: 'range', min: 0 }],
      updateAllowed: true,
    },
    index_var: {
      type: 'string',
      description:
        'A variable that this resource will use to replace with the current index of a given resource in the group.',
      default: '%index%',
      constraints: [{ kind: 'length', min: 3 }],
    },
    resource_def: {
      type: 'map',
      description: 'Resource definition for the resources in the group.',
      schema: {
        type: { type: 'string', description: 'The type of the resources in the group.', required: true },
        properties: { type: 'map', description: 'Property values for the resources in the group.' },
        metadata: { type: 'map', description: 'Supplied metadata for the resources in the group.' },
      },
      required: true,
      updateAllowed: true,
    },
    removal_policies: {
      type: 'list',
      description: 'Policies for removal of resources on update.',
      items: {
        type: 'map',
        description:
          'Policy to be processed when doing an update which requires removal of specific resources.',
        schema: {
          resource_list: {
            type: 'list',
            description:
              'List of resources to be removed when doing an update which requires removal of specific resources.',
            default: [],
          },
        },
      },
      updateAllowed: true,
      default: [],
    },
    removal_policies_mode: {
      type: 'string',
      description: 'How to handle changes to removal_policies on update.',
      default: 'append',
      constraints: [{ kind: 'allowed_values', values: ['append', 'update'] }],
      updateAllowed: true,
    },
  },
  attributes: {
    refs: { description: 'A list of resource IDs for the resources in the group.', type: 'list' },
    refs_map: { description: 'A map of resource names to IDs for the resources in the group.', type: 'map' },
    attributes: {
      description: 'A map of resource names to the specified attribute of each individual resource.',
      type: 'map',
    },
    removed_rsrc_list: { description: 'A list of removed resource names.', type: 'list' },
  },
  acceptsAnyAttribute: true,

  async create(properties, ctx) {
    const current = currentSkiplist(ctx.state.data);
    const skip = new Set([...current, ...newSkiplistEntries(properties, new Set(current), false, [])]);
    const policy = parsePolicy(ctx.state.name, updatePolicyOf(ctx));
    const count = typeof properties['count'] === 'number' ? properties['count'] : 1;
    const plan: Plan =
      policy.batch && count > 0
        ? {
            kind: 'batched',
            minInService: 0,
            batchSize: policy.batch.maxBatchSize ?? 1,
            pause: policy.batch.pauseTime ?? 0,
          }
        : { kind: 'single' };
    return converge(ctx, 'CREATE', properties, properties, skip, plan);
  },

  async update(request, ctx) {
    const props = request.newProperties;
    const currentList = currentSkiplist(ctx.state.data);
    const current = new Set(currentList);
    const members = (await ctx.nested.current())?.members ?? [];
    const created = ctx.state.physicalId !== null;
    const entries = newSkiplistEntries(props, current, created, members);
    const base = props['removal_policies_mode'] === 'update' ? new Set<string>() : new Set(current);
    const skip = new Set([...base, ...entries]);
    const policy = parsePolicy(ctx.state.name, request.newUpdatePolicy ?? updatePolicyOf(ctx));
    const plan: Plan =
      request.changed.includes('resource_def') && policy.rolling
        ? {
            kind: 'batched',
            minInService: policy.rolling.minInService ?? 0,
            batchSize: policy.rolling.maxBatchSize ?? 1,
            pause: policy.rolling.pauseTime ?? 0,
          }
        : { kind: 'single' };
    return converge(
      ctx,
      'UPDATE',
      props,
      request.oldProperties,
      sameSet(skip, current) ? current : skip,
      plan,
    );
  },

  ...nestedMemberActions(MEMBERS_KEY),

  referenceId: defaultReferenceId,

  attribute(state, name, path) {
    if (name === 'removed_rsrc_list') return currentSkiplist(state.data);
    if (name === 'attributes' && path.length === 0) throw invalidAttribute(state.name, name);
    const members = readMembers(state.data, MEMBERS_KEY);
    const names = namesOf(state);
    if (name.startsWith('resource.')) {
      if (path.length === 0 && splitMax(name, '.', 2).length === 2) {
        const member = name.slice('resource.'.length);
        if (!names.includes(member)) throw memberNotFound(member, state.name);
        return members[member]?.ref ?? null;
      }
      return nestedResourceAttribute(members, state.name, name, path);
    }
    if (name === 'refs')
      return selectFromAttribute(
        names.map((n) => members[n]?.ref ?? null),
        path,
      );
    if (name === 'refs_map') return Object.fromEntries(names.map((n) => [n, members[n]?.ref ?? null]));
    if (name === 'attributes') {
      const [attr, ...rest] = path;
      return Object.fromEntries(names.map((n) => [n, memberAttribute(members, n, String(attr), rest)]));
    }
    return names.map((n) => memberAttribute(members, n, name, path));
  },

  hasAttribute(name) {
    return GROUP_ATTRIBUTES.includes(name) || name !== '';
  },
};
