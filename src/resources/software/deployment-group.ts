/**
 * OS::Heat::SoftwareDeploymentGroup and StructuredDeploymentGroup (+ the hidden old names SoftwareDeployments and
 * StructuredDeployments): one deployment per entry of `servers` (name → server id), in a child stack whose members
 * are named after the map's keys (Heat's `SoftwareDeploymentGroup`, a ResourceGroup).
 *
 * Attributes are maps keyed by member name: `deploy_stdouts`, `deploy_stderrs`, `deploy_status_codes`, and any
 * member attribute (including declared outputs) by its own name. `update_policy` `batch_create` / `rolling_update`
 * deploy at most `max_batch_size` members per child update (see `group-batches.ts`).
 */
import type {
  ActionContext,
  ActionResult,
  NestedMember,
  NestedStackResult,
  Properties,
  PropertySchema,
  ResourcePlugin,
} from '../../engine/plugin.js';
import type { SoftwareDeployer } from '../../engine/software/deployer.js';
import { DEPLOYMENT_STANDARD_OUTPUTS } from '../../engine/software/records.js';
import { checkSignalTransport } from '../../engine/software/transports.js';
import { selectFromAttribute } from '../support/attribute-path.js';
import { defaultReferenceId } from '../support/common.js';
import { failIfNestedFailed, nestedMemberActions, updatePolicyOf } from '../support/nested-action.js';
import {
  DEPLOYMENT_GROUP_UPDATE_POLICY_SCHEMA,
  type GroupBatching,
  groupSteps,
  type MemberDefinitions,
  parseGroupUpdatePolicy,
} from './group-batches.js';
import { DEPLOYMENT_PROPERTIES, STRUCTURED_PROPERTIES } from './software-deployment.js';

const MEMBERS_KEY = 'members';
const NAMES_KEY = 'names';
const TEMPLATE_KEY = 'child_template';

/** Group attribute → member attribute. */
const GROUP_ATTRIBUTES: Readonly<Record<string, string>> = {
  deploy_stdouts: 'deploy_stdout',
  deploy_stderrs: 'deploy_stderr',
  deploy_status_codes: 'deploy_status_code',
};

/** The child template: one member per server. */
export function groupTemplate(properties: Properties, memberType: string): Record<string, unknown> {
  const servers = (properties['servers'] ?? {}) as Record<string, unknown>;
  const shared = Object.fromEntries(
    Object.entries(properties).filter(([k, v]) => k !== 'servers' && v !== null && v !== undefined),
  );
  const resources: Record<string, unknown> = {};
  for (const [name, server] of Object.entries(servers)) {
    resources[name] = { type: memberType, properties: { ...shared, server } };
  }
  return { heat_template_version: '2015-04-30', resources };
}

/** Member attributes to remember: the standard outputs and every output the config declares. */
async function attributeNames(deployer: SoftwareDeployer, ctx: ActionContext, properties: Properties) {
  const source = await deployer
    .source(ctx.stack.projectId, typeof properties['config'] === 'string' ? properties['config'] : null)
    .catch(() => undefined);
  return [...DEPLOYMENT_STANDARD_OUTPUTS, ...(source?.outputs.map((o) => o.name) ?? [])];
}

function snapshot(
  members: readonly NestedMember[],
  names: readonly string[],
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const m of members) {
    out[m.name] = Object.fromEntries(
      names.map((n) => {
        try {
          return [n, m.attribute(n, [])];
        } catch {
          return [n, null];
        }
      }),
    );
  }
  return out;
}

/** The definitions the child was last given (stored before each child update), or undefined. */
function lastDefinitions(data: Record<string, unknown>): MemberDefinitions | undefined {
  const t = data[TEMPLATE_KEY];
  const resources = t && typeof t === 'object' ? (t as Record<string, unknown>)['resources'] : undefined;
  return resources && typeof resources === 'object' ? (resources as MemberDefinitions) : undefined;
}

/** A deployment group type. */
export function deploymentGroupResource(
  deployer: SoftwareDeployer,
  options: { type: string; memberType: string; structured: boolean; hidden?: string; version: string },
): ResourcePlugin & { readonly updatePolicySchema: Readonly<Record<string, PropertySchema>> } {
  /**
   * Takes the child to the group's new shape: in one child update, or in batches (`batching`) from `previous`
   * (the definitions the child had), pausing between batches.
   */
  async function converge(
    ctx: ActionContext,
    action: string,
    properties: Properties,
    previous: MemberDefinitions,
    batching: GroupBatching | undefined,
  ): Promise<ActionResult> {
    const target = groupTemplate(properties, options.memberType);
    const definitions = target['resources'] as Record<string, Record<string, unknown>>;
    const names = Object.keys(definitions);
    await ctx.saveData({ [NAMES_KEY]: names });
    const steps = groupSteps(previous, Object.entries(definitions), batching);
    let result: NestedStackResult | undefined;
    for (const [i, members] of steps.entries()) {
      if (i > 0 && batching && batching.pauseTime > 0) await ctx.sleep(batching.pauseTime * 1000);
      const template = { ...target, resources: members };
      await ctx.saveData({ [TEMPLATE_KEY]: template });
      result = await ctx.nested.createOrUpdate({ template });
      if (result.status === 'FAILED') break;
    }
    const done = result!;
    const members = snapshot(done.members, await attributeNames(deployer, ctx, properties));
    const data = { [NAMES_KEY]: names, [MEMBERS_KEY]: members };
    await failIfNestedFailed(ctx, action, done, data);
    return { physicalId: done.stackId, data };
  }

  const memberSchema: Record<string, PropertySchema> = options.structured
    ? { ...DEPLOYMENT_PROPERTIES, ...STRUCTURED_PROPERTIES }
    : { ...DEPLOYMENT_PROPERTIES };
  const shared = Object.entries(memberSchema).filter(([k]) => k !== 'server');
  return {
    type: options.type,
    description: 'This resource associates a group of servers with some configuration.',
    updatePolicySchema: DEPLOYMENT_GROUP_UPDATE_POLICY_SCHEMA,
    supportStatus: options.hidden
      ? { status: 'HIDDEN', version: '7.0.0', message: options.hidden }
      : { status: 'SUPPORTED', version: options.version },
    properties: {
      servers: {
        type: 'map',
        description:
          'A map of names and server IDs to apply configuration to. The name is arbitrary and is used as the ' +
          'Heat resource name for the corresponding deployment.',
        updateAllowed: true,
        required: true,
      },
      ...Object.fromEntries(shared),
    },
    attributes: {
      deploy_stdouts: {
        description:
          'A map of Nova names and captured stdouts from the configuration execution to each server.',
        type: 'map',
      },
      deploy_stderrs: {
        description:
          'A map of Nova names and captured stderrs from the configuration execution to each server.',
        type: 'map',
      },
      deploy_status_codes: {
        description: 'A map of Nova names and returned status code from the configuration execution.',
        type: 'map',
      },
    },
    acceptsAnyAttribute: true,
    alwaysUpdate: true,

    validate(properties, ctx) {
      checkSignalTransport(ctx.resourceName, properties['signal_transport']);
    },

    create(properties, ctx) {
      const policy = parseGroupUpdatePolicy(ctx.state.name, updatePolicyOf(ctx));
      return converge(ctx, 'CREATE', properties, lastDefinitions(ctx.state.data) ?? {}, policy.create);
    },

    update(request, ctx) {
      const policy = parseGroupUpdatePolicy(ctx.state.name, request.newUpdatePolicy ?? updatePolicyOf(ctx));
      const previous =
        lastDefinitions(ctx.state.data) ??
        (groupTemplate(request.oldProperties, options.memberType)['resources'] as MemberDefinitions);
      return converge(ctx, 'UPDATE', request.newProperties, previous, policy.update);
    },
    ...nestedMemberActions(MEMBERS_KEY),

    referenceId: defaultReferenceId,

    attribute(state, name, path) {
      const attr = GROUP_ATTRIBUTES[name] ?? name;
      const members = (state.data[MEMBERS_KEY] ?? {}) as Record<string, Record<string, unknown>>;
      const names = Array.isArray(state.data[NAMES_KEY]) ? (state.data[NAMES_KEY] as string[]) : [];
      const map = Object.fromEntries(names.map((n) => [n, members[n]?.[attr] ?? null]));
      return selectFromAttribute(map, path);
    },

    hasAttribute(name) {
      return name !== '';
    },
  };
}

/** Every deployment group type, by its Heat name. */
export function deploymentGroupResources(deployer: SoftwareDeployer): ResourcePlugin[] {
  const useGroup = 'Please use OS::Heat::SoftwareDeploymentGroup instead.';
  const useStructured = 'Please use OS::Heat::StructuredDeploymentGroup instead.';
  return [
    deploymentGroupResource(deployer, {
      type: 'OS::Heat::SoftwareDeploymentGroup',
      memberType: 'OS::Heat::SoftwareDeployment',
      structured: false,
      version: '5.0.0',
    }),
    deploymentGroupResource(deployer, {
      type: 'OS::Heat::SoftwareDeployments',
      memberType: 'OS::Heat::SoftwareDeployment',
      structured: false,
      hidden: useGroup,
      version: '7.0.0',
    }),
    deploymentGroupResource(deployer, {
      type: 'OS::Heat::StructuredDeploymentGroup',
      memberType: 'OS::Heat::StructuredDeployment',
      structured: true,
      version: '5.0.0',
    }),
    deploymentGroupResource(deployer, {
      type: 'OS::Heat::StructuredDeployments',
      memberType: 'OS::Heat::StructuredDeployment',
      structured: true,
      hidden: useStructured,
      version: '7.0.0',
    }),
  ];
}
