/**
 * OS::Neutron::FloatingIP on container servers: an address reserved on the public Docker network of its pool
 * (`floating_network`, e.g. `public` → network `<prefix>public-public`, created on demand), unique on the host
 * (`src/runtime/servers/floating-ips.ts`). With `port_id` it is associated at once (as
 * OS::Neutron::FloatingIPAssociation does). Deleting it releases the address (and disconnects whatever uses it).
 * Attributes are as of create and the last stack check (an association made by another resource shows there).
 */
import type { ActionContext, ActionResult, Properties, ResourcePlugin } from '../../engine/plugin.js';
import { ResourceFailure } from '../../engine/plugin.js';
import { FloatingIpError, isIpv4 } from '../../runtime/servers/floating-ips.js';
import { selectFromAttribute } from '../support/attribute-path.js';
import { defaultReferenceId } from '../support/common.js';
import { associate, associationOf, dissociate, type FloatingIpDeps } from './floating-ip-port.js';
import { propertyError } from './property-error.js';

/** The type name. */
export const FLOATING_IP_TYPE = 'OS::Neutron::FloatingIP';

/** Pool names: what a Docker network name may hold. */
const POOL = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/;

/** Checks the properties shared by the floating IP types (unknown values, null while validating, are skipped). */
export function checkAddressProperty(resourceName: string, property: string, value: unknown): void {
  if (typeof value === 'string' && value !== '' && !isIpv4(value))
    throw propertyError(resourceName, property, `"${value}" is not an IPv4 address`);
}

/** The floating IP type. */
export function floatingIpResource(deps: FloatingIpDeps): ResourcePlugin {
  async function create(properties: Properties, ctx: ActionContext): Promise<ActionResult> {
    const id = ctx.state.id;
    if (ctx.state.physicalId === null) await ctx.savePhysicalId(id);
    const pool = String(properties['floating_network']);
    let reservation;
    try {
      reservation = await deps.ips.reserve({
        projectId: ctx.stack.projectId,
        stackId: ctx.stack.stackId,
        resourceId: id,
        pool,
        ...(typeof properties['floating_ip_address'] === 'string' && properties['floating_ip_address']
          ? { address: properties['floating_ip_address'] }
          : {}),
      });
    } catch (err) {
      if (err instanceof FloatingIpError) throw new ResourceFailure(err.message);
      throw err;
    }
    const portId =
      typeof properties['port_id'] === 'string' && properties['port_id'] ? properties['port_id'] : undefined;
    const fixed =
      typeof properties['fixed_ip_address'] === 'string' ? properties['fixed_ip_address'] : undefined;
    const association = portId
      ? await associate(deps, ctx.stack.projectId, reservation, portId, fixed)
      : undefined;
    const data = {
      pool,
      network: reservation.network,
      address: reservation.address,
      ...(association ? { association } : {}),
    };
    return {
      physicalId: id,
      data,
      attributes: attributesOf(id, ctx.stack.projectId, reservation, association),
    };
  }

  return {
    type: FLOATING_IP_TYPE,
    description: 'A floating IP: an address on a public Docker network, associated with a container server.',
    supportStatus: { status: 'SUPPORTED', version: '2014.1' },
    properties: {
      floating_network: {
        type: 'string',
        required: true,
        description:
          'The pool (e.g. public): the public Docker network <prefix>public-<pool>, created on demand.',
      },
      floating_ip_address: {
        type: 'string',
        description: 'The address to reserve (free, in the pool subnet).',
      },
      port_id: {
        type: 'string',
        description: 'A port to associate at once (the port of a server address).',
        updateAllowed: true,
      },
      fixed_ip_address: {
        type: 'string',
        description: "The port's address to use (it has one).",
        updateAllowed: true,
      },
      value_specs: {
        type: 'map',
        description: 'Neutron extension parameters: none have a meaning here (refused unless empty).',
        default: {},
      },
    },
    attributes: {
      floating_ip_address: { description: 'The allocated address.', type: 'string' },
      floating_network_id: { description: 'The public Docker network id.', type: 'string' },
      port_id: { description: 'The associated port (as of create or the last check).', type: 'string' },
      fixed_ip_address: { description: "The associated port's address.", type: 'string' },
      router_id: { description: 'Always null (no routers).', type: 'string' },
      tenant_id: { description: 'The project.', type: 'string' },
      show: { description: 'All attributes.', type: 'map' },
    },

    validate(properties, ctx) {
      const pool = properties['floating_network'];
      if (typeof pool === 'string' && !POOL.test(pool))
        throw propertyError(
          ctx.resourceName,
          'floating_network',
          `"${pool}" is not a pool name (letters, digits, "_", "." and "-", at most 64, starting with a letter or digit)`,
        );
      checkAddressProperty(ctx.resourceName, 'floating_ip_address', properties['floating_ip_address']);
      checkAddressProperty(ctx.resourceName, 'fixed_ip_address', properties['fixed_ip_address']);
      const specs = properties['value_specs'];
      if (specs && typeof specs === 'object' && Object.keys(specs).length > 0)
        throw propertyError(
          ctx.resourceName,
          'value_specs',
          `${Object.keys(specs).join(', ')}: Neutron extension parameters have no meaning on container servers`,
        );
      if (
        (properties['port_id'] === undefined || properties['port_id'] === null) &&
        typeof properties['fixed_ip_address'] === 'string'
      )
        throw propertyError(
          ctx.resourceName,
          'fixed_ip_address',
          'fixed_ip_address cannot be specified without port_id.',
        );
    },

    create,

    async update(request, ctx) {
      const found = await deps.ips.find(ctx.state.id);
      if (!found) throw new ResourceFailure(`Floating IP ${ctx.state.name}: its reservation is gone`);
      await dissociate(deps, associationOf(ctx.state.data) ?? {});
      const portId = request.newProperties['port_id'];
      const fixed = request.newProperties['fixed_ip_address'];
      const association =
        typeof portId === 'string' && portId
          ? await associate(
              deps,
              ctx.stack.projectId,
              found,
              portId,
              typeof fixed === 'string' ? fixed : undefined,
            )
          : undefined;
      const { association: _old, ...rest } = ctx.state.data;
      return {
        data: { ...rest, ...(association ? { association } : {}) },
        attributes: attributesOf(ctx.state.id, ctx.stack.projectId, found, association),
      };
    },

    async delete(ctx) {
      if (ctx.state.physicalId === null) return;
      await dissociate(deps, associationOf(ctx.state.data) ?? {});
      await deps.ips.release(ctx.state.id);
    },

    async check(ctx) {
      const found = await deps.ips.find(ctx.state.id);
      if (!found) throw new ResourceFailure(`Floating IP ${ctx.state.name}: its reservation is gone`);
      const holder = await deps.ips.holderOf(found);
      return { attributes: attributesOf(ctx.state.id, ctx.stack.projectId, found, holder) };
    },

    referenceId: defaultReferenceId,

    attribute(state, name, path) {
      if (state.physicalId === null) return null;
      return selectFromAttribute(state.attributes[name] ?? null, path);
    },
  };
}

function attributesOf(
  id: string,
  projectId: string,
  reservation: { address: string; networkId: string },
  association: { port_id: string; fixed_ip_address: string } | undefined,
): Record<string, unknown> {
  const attrs = {
    id,
    floating_ip_address: reservation.address,
    floating_network_id: reservation.networkId,
    port_id: association?.port_id ?? null,
    fixed_ip_address: association?.fixed_ip_address ?? null,
    router_id: null,
    tenant_id: projectId,
  };
  return { ...attrs, show: { ...attrs, status: association ? 'ACTIVE' : 'DOWN' } };
}
