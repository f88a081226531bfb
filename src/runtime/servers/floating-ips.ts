/**
 * Floating IPs of container servers: a per-installation "public" bridge network per pool (`<prefix>public-<pool>`,
 * e.g. `hearth-public-public` for Heat's `public`), created on demand with an explicit subnet so that addresses can
 * be chosen; a floating IP is an address of it reserved by a labelled Docker volume named after the address (Docker
 * creates a volume name once, so two reservations of one address cannot both win, across processes); associating
 * connects the server's container to the network with that address (`docker network connect --ip`), so the host
 * reaches the server there. The network goes when its last reservation is released and nothing is attached.
 */
import type Docker from 'dockerode';
import { dockerErrorMessage, dockerStatus } from '../docker.js';
import { projectNetworkName, serialized, SERVER_LABEL } from './network.js';

/** Labels of reservations and public networks. */
export const FLOATING_LABEL = {
  /** The public network (Docker name) of a reservation. */
  network: 'org.hearth.floating-network',
  /** The reserved address. */
  address: 'org.hearth.floating-ip',
  /** The pool name on a public network (`floating_network`). */
  pool: 'org.hearth.floating-pool',
} as const;

/** A reserved floating IP. */
export interface FloatingIpReservation {
  readonly address: string;
  /** The public network's Docker name and id. */
  readonly network: string;
  readonly networkId: string;
  readonly subnet: string;
  readonly gateway: string;
}

/** What a floating IP request cannot be (the message names the value and what is allowed). */
export class FloatingIpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FloatingIpError';
  }
}

interface PublicNetwork {
  readonly id: string;
  readonly name: string;
  readonly subnet: string;
  readonly gateway: string;
}

/** IPv4 text ↔ number. */
function toNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}
function toText(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}
/** Whether `ip` is a dotted IPv4 address. */
export function isIpv4(ip: string): boolean {
  const parts = ip.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}
function range(cidr: string): { first: number; last: number } {
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const first = Math.floor(toNumber(base) / size) * size;
  return { first, last: first + size - 1 };
}

/** Floating IPs on one dockerd. */
export class FloatingIps {
  constructor(
    readonly docker: Docker,
    readonly options: { readonly networkPrefix: string },
  ) {}

  /** The public network's Docker name for a pool (`floating_network`). */
  networkName(pool: string): string {
    return `${this.options.networkPrefix}public-${pool}`.replace(/[^a-zA-Z0-9_.-]/g, '_');
  }

  /**
   * Reserves an address for `resourceId` (idempotent: a reservation it holds already is returned): `address`
   * when given (it must lie in the pool's subnet and be free), else the first free one.
   * @throws FloatingIpError
   */
  async reserve(request: {
    projectId: string;
    stackId: string;
    resourceId: string;
    pool: string;
    address?: string;
  }): Promise<FloatingIpReservation> {
    const name = this.networkName(request.pool);
    return serialized(name, async () => {
      const network = await this.#ensureNetwork(name, request.pool);
      const held = await this.#reservations(name);
      const mine = held.find((v) => v.Labels?.[SERVER_LABEL.resource] === request.resourceId);
      if (mine) return reservationOf(network, mine.Labels?.[FLOATING_LABEL.address] ?? '');
      const { first, last } = range(network.subnet);
      const taken = new Set([
        ...held.map((v) => v.Labels?.[FLOATING_LABEL.address] ?? ''),
        ...(await this.#endpointAddresses(name)),
        network.gateway,
      ]);
      if (request.address !== undefined) {
        const n = isIpv4(request.address) ? toNumber(request.address) : NaN;
        if (!(n > first && n < last) || request.address === network.gateway)
          throw new FloatingIpError(
            `floating_ip_address ${request.address} is not a usable address of floating network ` +
              `${request.pool} (${network.subnet}, gateway ${network.gateway})`,
          );
        if (taken.has(request.address) || !(await this.#claim(name, request, request.address)))
          throw new FloatingIpError(
            `floating_ip_address ${request.address} of floating network ${request.pool} is already in use`,
          );
        return reservationOf(network, request.address);
      }
      for (let n = first + 2; n < last; n++) {
        const address = toText(n);
        if (taken.has(address)) continue;
        if (await this.#claim(name, request, address)) return reservationOf(network, address);
      }
      throw new FloatingIpError(`floating network ${request.pool} (${network.subnet}) has no free address`);
    });
  }

  /** The reservation `resourceId` holds, if any. */
  async find(resourceId: string): Promise<(FloatingIpReservation & { pool: string }) | undefined> {
    const { Volumes } = await this.docker.listVolumes({
      filters: { label: [`${SERVER_LABEL.resource}=${resourceId}`, `${SERVER_LABEL.kind}=floating-ip`] },
    });
    const volume = Volumes?.[0];
    if (!volume) return undefined;
    const name = volume.Labels?.[FLOATING_LABEL.network] ?? '';
    const network = await this.#inspect(name);
    if (!network) return undefined;
    return {
      ...reservationOf(network, volume.Labels?.[FLOATING_LABEL.address] ?? ''),
      pool: volume.Labels?.[FLOATING_LABEL.pool] ?? '',
    };
  }

  /** Releases the reservation of `resourceId` (disconnecting whatever uses the address); the network goes when unused. */
  async release(resourceId: string): Promise<void> {
    const { Volumes } = await this.docker.listVolumes({
      filters: { label: [`${SERVER_LABEL.resource}=${resourceId}`, `${SERVER_LABEL.kind}=floating-ip`] },
    });
    for (const volume of Volumes ?? []) {
      const name = volume.Labels?.[FLOATING_LABEL.network] ?? '';
      const address = volume.Labels?.[FLOATING_LABEL.address] ?? '';
      await serialized(name, async () => {
        const info = await this.#inspectRaw(name);
        for (const [id, endpoint] of Object.entries(info?.Containers ?? {})) {
          if (endpoint.IPv4Address?.split('/')[0] === address) await this.#disconnect(name, id);
        }
        await this.docker
          .getVolume(volume.Name)
          .remove()
          .catch((err: unknown) => {
            if (dockerStatus(err) !== 404) throw err;
          });
        await this.#removeIfUnused(name);
      });
    }
  }

  /**
   * Connects `container` to the reservation's network with its address (idempotent; a connection with another
   * address is replaced). @throws FloatingIpError
   */
  async associate(reservation: FloatingIpReservation, container: string): Promise<void> {
    await serialized(reservation.network, async () => {
      const info = await this.docker.getContainer(container).inspect();
      const current = info.NetworkSettings.Networks[reservation.network];
      if (current?.IPAddress === reservation.address) return;
      if (current) await this.#disconnect(reservation.network, container);
      const holder = Object.entries((await this.#inspectRaw(reservation.network))?.Containers ?? {}).find(
        ([, e]) => e.IPv4Address?.split('/')[0] === reservation.address,
      );
      if (holder)
        throw new FloatingIpError(
          `floating IP ${reservation.address} is already associated with container ${holder[1].Name ?? holder[0]}`,
        );
      try {
        await this.docker.getNetwork(reservation.network).connect({
          Container: container,
          EndpointConfig: { IPAMConfig: { IPv4Address: reservation.address } },
        });
      } catch (err) {
        throw new FloatingIpError(
          `connecting ${container} to ${reservation.network} at ${reservation.address}: ${dockerErrorMessage(err)}`,
        );
      }
    });
  }

  /** Disconnects `container` from the public network `network` (nothing when it is not connected or gone). */
  async disassociate(network: string, container: string): Promise<void> {
    await serialized(network, () => this.#disconnect(network, container));
  }

  /**
   * The server or container of the project whose port (its endpoint on the project network, the `port` of its
   * `addresses`) is `portId`.
   */
  async containerByPort(
    projectId: string,
    portId: string,
  ): Promise<{ id: string; name: string; resourceId: string; addresses: string[] } | undefined> {
    const list = await this.docker.listContainers({
      all: true,
      filters: { label: [`${SERVER_LABEL.project}=${projectId}`] },
    });
    for (const c of list) {
      const networks = Object.values(c.NetworkSettings?.Networks ?? {});
      if (!networks.some((n) => n.EndpointID === portId)) continue;
      return {
        id: c.Id,
        name: (c.Names[0] ?? '').replace(/^\//, ''),
        resourceId: c.Labels?.[SERVER_LABEL.resource] ?? '',
        addresses: networks.map((n) => n.IPAddress).filter(Boolean),
      };
    }
    return undefined;
  }

  /** The port (project-network endpoint) and address of the container the reservation is associated with now. */
  async holderOf(
    reservation: FloatingIpReservation,
  ): Promise<{ port_id: string; fixed_ip_address: string } | undefined> {
    const info = await this.#inspectRaw(reservation.network);
    const holder = Object.entries(info?.Containers ?? {}).find(
      ([, e]) => e.IPv4Address?.split('/')[0] === reservation.address,
    );
    if (!holder) return undefined;
    const container = await this.docker
      .getContainer(holder[0])
      .inspect()
      .catch(() => undefined);
    const project = container?.Config.Labels?.[SERVER_LABEL.project];
    if (!container || project === undefined) return undefined;
    const endpoint =
      container.NetworkSettings.Networks[projectNetworkName(this.options.networkPrefix, project)];
    return endpoint ? { port_id: endpoint.EndpointID, fixed_ip_address: endpoint.IPAddress } : undefined;
  }

  /** Every address of a container on any network (its project address and floating IPs). */
  async addressesOf(container: string): Promise<string[]> {
    const info = await this.docker.getContainer(container).inspect();
    return Object.values(info.NetworkSettings.Networks)
      .map((n) => n.IPAddress)
      .filter(Boolean);
  }

  /** Creates the volume that reserves `address`; false when another resource holds it. */
  async #claim(
    network: string,
    request: { projectId: string; stackId: string; resourceId: string; pool: string },
    address: string,
  ): Promise<boolean> {
    const volume = (await this.docker.createVolume({
      Name: `${network}-fip-${address}`,
      Labels: {
        [SERVER_LABEL.project]: request.projectId,
        [SERVER_LABEL.stack]: request.stackId,
        [SERVER_LABEL.resource]: request.resourceId,
        [SERVER_LABEL.kind]: 'floating-ip',
        [FLOATING_LABEL.network]: network,
        [FLOATING_LABEL.address]: address,
        [FLOATING_LABEL.pool]: request.pool,
      },
    })) as unknown as { Name?: string; name?: string };
    const name = volume.Name ?? volume.name ?? `${network}-fip-${address}`;
    const info = await this.docker.getVolume(name).inspect();
    // Docker answers an existing name with the existing volume: the first claim's labels win.
    return info.Labels?.[SERVER_LABEL.resource] === request.resourceId;
  }

  async #reservations(network: string): Promise<Docker.VolumeInspectInfo[]> {
    const { Volumes } = await this.docker.listVolumes({
      filters: { label: [`${FLOATING_LABEL.network}=${network}`] },
    });
    return Volumes ?? [];
  }

  async #endpointAddresses(network: string): Promise<string[]> {
    const info = await this.#inspectRaw(network);
    return Object.values(info?.Containers ?? {}).map((e) => e.IPv4Address?.split('/')[0] ?? '');
  }

  async #disconnect(network: string, container: string): Promise<void> {
    try {
      await this.docker.getNetwork(network).disconnect({ Container: container, Force: true });
    } catch (err) {
      const status = dockerStatus(err);
      // 404: no such network or container; 403/500 "is not connected": nothing to undo.
      if (status === 404 || /not connected/i.test(dockerErrorMessage(err))) return;
      throw err;
    }
  }

  /** The pool's network with an explicit subnet (chosen by Docker from its free pools), created when missing. */
  async #ensureNetwork(name: string, pool: string): Promise<PublicNetwork> {
    const existing = await this.#inspect(name);
    if (existing) return existing;
    const labels = { [SERVER_LABEL.kind]: 'public-network', [FLOATING_LABEL.pool]: pool };
    for (let attempt = 0; ; attempt++) {
      // Docker picks a free subnet only for networks without one; addresses can only be chosen on networks
      // whose subnet was given: let it pick, then create the network again with that subnet.
      const probe = await this.docker.createNetwork({ Name: name, Driver: 'bridge', Labels: labels });
      const picked = await this.#inspectRaw(name);
      await probe.remove();
      const config = picked?.IPAM?.Config?.[0];
      if (!config?.Subnet || !config.Gateway)
        throw new FloatingIpError(`Docker gave the floating network ${name} no IPv4 subnet`);
      try {
        await this.docker.createNetwork({
          Name: name,
          Driver: 'bridge',
          CheckDuplicate: true,
          Labels: labels,
          IPAM: { Driver: 'default', Config: [{ Subnet: config.Subnet, Gateway: config.Gateway }] },
        });
      } catch (err) {
        // Another dockerd user took the subnet in between: try again.
        if (attempt < 3 && /overlap|in use|exists/i.test(dockerErrorMessage(err))) continue;
        throw new FloatingIpError(`creating floating network ${name}: ${dockerErrorMessage(err)}`);
      }
      const created = await this.#inspect(name);
      if (!created) throw new FloatingIpError(`floating network ${name} vanished right after it was created`);
      return created;
    }
  }

  async #removeIfUnused(name: string): Promise<void> {
    const info = await this.#inspectRaw(name);
    if (!info || Object.keys(info.Containers ?? {}).length > 0) return;
    if ((await this.#reservations(name)).length > 0) return;
    await this.docker
      .getNetwork(name)
      .remove()
      .catch((err: unknown) => {
        if (dockerStatus(err) !== 404) throw err;
      });
  }

  async #inspect(name: string): Promise<PublicNetwork | undefined> {
    const info = await this.#inspectRaw(name);
    const config = info?.IPAM?.Config?.find((c) => c.Subnet && c.Gateway);
    if (!info || !config) return undefined;
    return { id: info.Id, name: info.Name, subnet: config.Subnet!, gateway: config.Gateway! };
  }

  async #inspectRaw(name: string): Promise<Docker.NetworkInspectInfo | undefined> {
    if (!name) return undefined;
    try {
      return (await this.docker.getNetwork(name).inspect()) as Docker.NetworkInspectInfo;
    } catch (err) {
      if (dockerStatus(err) === 404) return undefined;
      throw err;
    }
  }
}

function reservationOf(network: PublicNetwork, address: string): FloatingIpReservation {
  return {
    address,
    network: network.name,
    networkId: network.id,
    subnet: network.subnet,
    gateway: network.gateway,
  };
}
