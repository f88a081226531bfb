/**
 * OS::Heat::ResourceChain — one child-stack member per entry of `resources` (a list of type names), named
 * `0 … n-1`, all given the same `resource_properties`; unless `concurrent`, each member depends on the one
 * before it (Heat's `ResourceChain`).
 *
 * Attributes (from a snapshot of the members taken at the end of each action): `refs`, `attributes` (needs a
 * path: member name → that attribute), `resource.N` (member reference), `resource.N.attr`, and any other name →
 * the list of that attribute over the members.
 */
import type { ActionContext, ActionResult, Properties, ResourcePlugin } from '../../engine/plugin.js';
import { selectFromAttribute } from '../support/attribute-path.js';
import { defaultReferenceId } from '../support/common.js';
import { invalidAttribute } from '../support/errors.js';
import { failIfNestedFailed, nestedMemberActions } from '../support/nested-action.js';
import {
  memberAttribute,
  memberNotFound,
  nestedResourceAttribute,
  readMembers,
  snapshotMembers,
  splitMax,
} from '../support/nested-snapshot.js';

const MEMBERS_KEY = 'members';
const NAMES_KEY = 'names';

/** Member names of a chain over `types`: `0 … n-1`. */
export function chainNames(types: readonly unknown[]): string[] {
  return types.map((_t, i) => String(i));
}

/** The child template of a chain. */
export function chainTemplate(properties: Properties): Record<string, unknown> {
  const types = Array.isArray(properties['resources']) ? properties['resources'] : [];
  const names = chainNames(types);
  const shared = properties['resource_properties'];
  const concurrent = properties['concurrent'] === true;
  const resources: Record<string, unknown> = {};
  types.forEach((type, i) => {
    const member: Record<string, unknown> = { type };
    if (shared && typeof shared === 'object' && Object.keys(shared).length > 0) member['properties'] = shared;
    if (i > 0 && !concurrent) member['depends_on'] = [names[i - 1]];
    resources[names[i]!] = member;
  });
  return { heat_template_version: '2015-04-30', resources };
}

async function converge(ctx: ActionContext, action: string, properties: Properties): Promise<ActionResult> {
  const template = chainTemplate(properties);
  const names = Object.keys(template['resources'] as object);
  await ctx.saveData({ [NAMES_KEY]: names });
  const result = await ctx.nested.createOrUpdate({ template });
  const members = snapshotMembers(result.members);
  const data = { [NAMES_KEY]: names, [MEMBERS_KEY]: members };
  await failIfNestedFailed(ctx, action, result, data);
  return {
    physicalId: result.stackId,
    data,
    attributes: { refs: names.map((n) => members[n]?.ref ?? null) },
  };
}

function namesOf(data: Record<string, unknown>): string[] {
  const v = data[NAMES_KEY];
  return Array.isArray(v) ? v.map(String) : [];
}

/** The OS::Heat::ResourceChain plugin. */
export const resourceChainResource: ResourcePlugin = {
  type: 'OS::Heat::ResourceChain',
  description: 'Creates one or more resources with the same configuration.',
  supportStatus: { status: 'SUPPORTED', version: '6.0.0' },
  properties: {
    resources: {
      type: 'list',
      description:
        'The list of resource types to create. This list may contain type names or aliases defined in the ' +
        'resource registry. Specific template names are not supported.',
      required: true,
      updateAllowed: true,
    },
    concurrent: {
      type: 'boolean',
      description:
        'If true, the resources in the chain will be created concurrently. If false or omitted, each resource ' +
        'will be treated as having a dependency on the previous resource in the list.',
      default: false,
    },
    resource_properties: {
      type: 'map',
      description: 'Properties to pass to each resource being created in the chain.',
    },
  },
  attributes: {
    refs: { description: 'A list of resource IDs for the resources in the chain.', type: 'list' },
    attributes: {
      description: 'A map of resource names to the specified attribute of each individual resource.',
      type: 'map',
    },
  },
  acceptsAnyAttribute: true,
  alwaysUpdate: true,

  async create(properties, ctx) {
    return converge(ctx, 'CREATE', properties);
  },

  async update(request, ctx) {
    return converge(ctx, 'UPDATE', request.newProperties);
  },

  ...nestedMemberActions(MEMBERS_KEY),

  referenceId: defaultReferenceId,

  attribute(state, name, path) {
    if (name === 'attributes' && path.length === 0) throw invalidAttribute(state.name, name);
    const members = readMembers(state.data, MEMBERS_KEY);
    const names = namesOf(state.data);
    if (name.startsWith('resource.')) {
      const target = splitMax(name, '.', 2)[1] ?? '';
      if (!names.includes(target)) throw memberNotFound(target, state.name);
      return nestedResourceAttribute(members, state.name, name, path);
    }
    if (name === 'refs') {
      return selectFromAttribute(
        names.map((n) => members[n]?.ref ?? null),
        path,
      );
    }
    if (name === 'attributes') {
      const [attr, ...rest] = path;
      return Object.fromEntries(names.map((n) => [n, memberAttribute(members, n, String(attr), rest)]));
    }
    return names.map((n) => memberAttribute(members, n, name, path));
  },

  hasAttribute(name) {
    return name !== '';
  },
};
