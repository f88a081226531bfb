/**
 * OS::Neutron::FloatingIPAssociation on container servers: connects the container owning `port_id` (a server's
 * `addresses.<network>[0].port`) to the public network of the floating IP `floatingip_id` (an
 * OS::Neutron::FloatingIP of the same stack, by `get_resource`) at its address, so the host reaches the server —
 * and the pods it runs — there. Deleting it disconnects; an update moves the address (disconnect, then connect).
 */
import type { ActionContext, ActionResult, Properties, ResourcePlugin } from '../../engine/plugin.js';
import { ResourceFailure } from '../../engine/plugin.js';
import { defaultReferenceId } from '../support/common.js';
import { checkAddressProperty, FLOATING_IP_TYPE } from './floating-ip.js';
import { associate, associationOf, dissociate, type FloatingIpDeps } from './floating-ip-port.js';

/** The type name. */
export const FLOATING_IP_ASSOCIATION_TYPE = 'OS::Neutron::FloatingIPAssociation';

/** The association type. */
export function floatingIpAssociationResource(deps: FloatingIpDeps): ResourcePlugin {
  async function connect(properties: Properties, ctx: ActionContext): Promise<ActionResult> {
    const fipId = String(properties['floatingip_id']);
    const fip = await ctx.readResource(fipId);
    if (!fip || fip.type !== FLOATING_IP_TYPE || fip.physicalId === null)
      throw new ResourceFailure(
        `floatingip_id ${fipId} is not a floating IP of this stack (use get_resource of an ${FLOATING_IP_TYPE})`,
      );
    const reservation = await deps.ips.find(fip.id);
    if (!reservation)
      throw new ResourceFailure(`floatingip_id ${fipId}: the floating IP has no address (released)`);
    const fixed = properties['fixed_ip_address'];
    const association = await associate(
      deps,
      ctx.stack.projectId,
      reservation,
      String(properties['port_id']),
      typeof fixed === 'string' ? fixed : undefined,
    );
    const show = { ...association, floatingip_id: fipId, id: ctx.state.id };
    return { physicalId: ctx.state.id, data: { association }, attributes: { show } };
  }

  return {
    type: FLOATING_IP_ASSOCIATION_TYPE,
    description: "Associates a floating IP with a container server's port.",
    supportStatus: { status: 'SUPPORTED', version: '2014.1' },
    properties: {
      floatingip_id: {
        type: 'string',
        required: true,
        updateAllowed: true,
        description: 'The floating IP (get_resource of an OS::Neutron::FloatingIP of this stack).',
      },
      port_id: {
        type: 'string',
        required: true,
        updateAllowed: true,
        description: "The server's port: get_attr [<server>, addresses, <network>, 0, port].",
      },
      fixed_ip_address: {
        type: 'string',
        updateAllowed: true,
        description: "The port's address to use (it has one).",
      },
    },
    attributes: { show: { description: 'The association.', type: 'map' } },

    validate(properties, ctx) {
      checkAddressProperty(ctx.resourceName, 'fixed_ip_address', properties['fixed_ip_address']);
    },

    async create(properties, ctx) {
      if (ctx.state.physicalId === null) await ctx.savePhysicalId(ctx.state.id);
      return connect(properties, ctx);
    },

    async update(request, ctx) {
      await dissociate(deps, associationOf(ctx.state.data) ?? {});
      return connect(request.newProperties, ctx);
    },

    async delete(ctx) {
      await dissociate(deps, associationOf(ctx.state.data) ?? {});
    },

    referenceId: defaultReferenceId,
  };
}
