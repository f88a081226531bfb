/**
 * Associating a floating IP with a Neutron-style port of a container server: the port is the container's
 * endpoint on its project network (the `port` of the server's `addresses`), the association connects the
 * container to the floating IP's public network at that address, and the server's security groups follow its
 * addresses. Shared by OS::Neutron::FloatingIP (its own `port_id`) and OS::Neutron::FloatingIPAssociation.
 */
import { ResourceFailure } from '../../engine/plugin.js';
import type { ServerFirewall } from '../../runtime/servers/firewall.js';
import {
  FloatingIpError,
  type FloatingIpReservation,
  type FloatingIps,
} from '../../runtime/servers/floating-ips.js';

/** What the floating IP types need. */
export interface FloatingIpDeps {
  readonly ips: FloatingIps;
  /** The security groups' firewall: a server's filtering also covers its floating IPs. */
  readonly firewall?: ServerFirewall;
}

/** An association as stored in the resource's data. */
export interface AssociationRecord {
  readonly network: string;
  /** The Docker name of the associated container. */
  readonly container: string;
  /** Its resource id (the server's). */
  readonly server_id: string;
  readonly port_id: string;
  readonly fixed_ip_address: string;
  readonly floating_ip_address: string;
}

/**
 * Connects the container owning `portId` (of `projectId`) to the reservation's network at its address.
 * @throws ResourceFailure naming the port or address when there is no such container or the address is taken.
 */
export async function associate(
  deps: FloatingIpDeps,
  projectId: string,
  reservation: FloatingIpReservation,
  portId: string,
  fixedIp: string | undefined,
): Promise<AssociationRecord> {
  const owner = await deps.ips.containerByPort(projectId, portId);
  if (!owner)
    throw new ResourceFailure(
      `port_id ${portId} is not a port of a container server of this project (use ` +
        'get_attr: [<server>, addresses, <network>, 0, port])',
    );
  const fixed = owner.addresses[0] ?? '';
  if (fixedIp !== undefined && fixedIp !== '' && !owner.addresses.includes(fixedIp))
    throw new ResourceFailure(
      `fixed_ip_address ${fixedIp} is not an address of port ${portId} (its addresses: ${owner.addresses.join(', ')})`,
    );
  try {
    await deps.ips.associate(reservation, owner.name);
  } catch (err) {
    if (err instanceof FloatingIpError) throw new ResourceFailure(err.message);
    throw err;
  }
  await refreshFirewall(deps, owner.resourceId, owner.name);
  return {
    network: reservation.network,
    container: owner.name,
    server_id: owner.resourceId,
    port_id: portId,
    fixed_ip_address: fixedIp || fixed,
    floating_ip_address: reservation.address,
  };
}

/** Undoes {@link associate} (nothing when the container or network is gone already). */
export async function dissociate(deps: FloatingIpDeps, record: Partial<AssociationRecord>): Promise<void> {
  if (!record.network || !record.container) return;
  await deps.ips.disassociate(record.network, record.container);
  if (record.server_id) await refreshFirewall(deps, record.server_id, record.container);
}

/** The stored association of a resource's data, if it has one. */
export function associationOf(data: Readonly<Record<string, unknown>>): AssociationRecord | undefined {
  const a = data['association'];
  return typeof a === 'object' && a !== null ? (a as AssociationRecord) : undefined;
}

async function refreshFirewall(deps: FloatingIpDeps, serverId: string, container: string): Promise<void> {
  if (!deps.firewall || !serverId) return;
  const addresses = await deps.ips.addressesOf(container).catch(() => undefined);
  if (addresses) await deps.firewall.refresh(serverId, addresses);
}
