/**
 * OS::Neutron::SecurityGroup on container servers: the group's rules become iptables chains on the host
 * (`src/runtime/servers/firewall.ts`), and the servers naming it in `security_groups` are filtered by them —
 * ingress to the server's addresses is dropped unless a rule (or established/related traffic, or traffic from a
 * member of the same group) allows it; egress is allowed unless the group has egress rules (Heat's default egress
 * rules are replaced by the first egress rule, as in Heat). Rules and name update in place: every member server
 * follows at once. IPv6 rules are accepted and reported as not applied (container servers have no IPv6 address).
 */
import type { ActionContext, ActionResult, Properties, ResourcePlugin } from '../../engine/plugin.js';
import { ResourceFailure } from '../../engine/plugin.js';
import type { ServerFirewall } from '../../runtime/servers/firewall.js';
import { HeatError } from '../../template/errors.js';
import { defaultReferenceId, physicalNameOf } from '../support/common.js';
import { compileRules, RULE_SCHEMA, ruleProblems } from './security-group-rules.js';

/** The type name. */
export const SECURITY_GROUP_TYPE = 'OS::Neutron::SecurityGroup';

function rulesOf(properties: Properties): Record<string, unknown>[] {
  const rules = properties['rules'];
  return Array.isArray(rules)
    ? rules.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null)
    : [];
}

/** The security group type over the host's firewall. */
export function securityGroupResource(firewall: ServerFirewall): ResourcePlugin {
  async function apply(properties: Properties, ctx: ActionContext): Promise<ActionResult> {
    const id = ctx.state.id;
    if (ctx.state.physicalId === null) await ctx.savePhysicalId(id);
    const problems = ruleProblems(rulesOf(properties), id);
    if (problems.length > 0)
      throw new ResourceFailure(`Security group ${ctx.state.name}: ${problems.join('; ')}`);
    const compiled = compileRules(rulesOf(properties), id);
    try {
      await firewall.defineGroup(id, compiled.rules);
    } catch (err) {
      throw new ResourceFailure(
        `Security group ${ctx.state.name} cannot be enforced on this host (iptables): ${(err as Error).message}`,
      );
    }
    if (compiled.ipv6 > 0)
      await ctx.event(`${compiled.ipv6} IPv6 rule(s) not applied: container servers have no IPv6 address`);
    const name =
      typeof properties['name'] === 'string' && properties['name'] ? properties['name'] : physicalNameOf(ctx);
    const show = {
      id,
      name,
      description: properties['description'] ?? '',
      tenant_id: ctx.stack.projectId,
      project_id: ctx.stack.projectId,
      security_group_rules: rulesOf(properties),
    };
    return { physicalId: id, attributes: { show }, data: { project_id: ctx.stack.projectId } };
  }

  return {
    type: SECURITY_GROUP_TYPE,
    description: "A security group enforced on container servers' addresses with iptables.",
    supportStatus: { status: 'SUPPORTED', version: '2014.1' },
    properties: {
      name: {
        type: 'string',
        description: 'A symbolic name (not unique; "default" is reserved).',
        updateAllowed: true,
      },
      description: { type: 'string', description: 'Description of the security group.', updateAllowed: true },
      rules: {
        type: 'list',
        description: 'List of security group rules.',
        default: [],
        updateAllowed: true,
        items: { type: 'map', schema: RULE_SCHEMA },
      },
    },
    attributes: { show: { description: 'The security group, as Neutron shows it.', type: 'map' } },

    validate(properties, ctx) {
      if (properties['name'] === 'default')
        throw new HeatError(
          'StackValidationFailed',
          'Security groups cannot be assigned the name "default".',
        );
      const problems = ruleProblems(rulesOf(properties));
      if (problems.length > 0)
        throw new HeatError(
          'StackValidationFailed',
          `Property error: resources.${ctx.resourceName}.properties.${problems.join(`; resources.${ctx.resourceName}.properties.`)}`,
        );
    },

    create: apply,

    async update(request, ctx) {
      return apply(request.newProperties, ctx);
    },

    async delete(ctx) {
      if (ctx.state.physicalId === null) return;
      try {
        await firewall.removeGroup(ctx.state.id);
      } catch (err) {
        throw new ResourceFailure(
          `Security group ${ctx.state.name} is still in use on this host: ${(err as Error).message}`,
        );
      }
    },

    async check(ctx) {
      if (ctx.state.physicalId !== null && !(await firewall.hasGroup(ctx.state.id)))
        throw new ResourceFailure(`Security group ${ctx.state.name}: its iptables chains are missing`);
    },

    referenceId: defaultReferenceId,
  };
}
