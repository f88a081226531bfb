/**
 * Per-project Docker networks: every container server of a project gets its address on one bridge network named
 * from the project id, created on demand and removed when its last server goes. Creation and removal of one
 * network are serialized in this process so that concurrent servers of a project share one network.
 */
import type Docker from 'dockerode';
import { dockerStatus } from '../docker.js';

/** Label keys on Hearth's networks and server containers. */
export const SERVER_LABEL = {
  project: 'org.hearth.project',
  stack: 'org.hearth.stack',
  resource: 'org.hearth.resource',
  /** `server` (OS::Nova::Server) or `container` (DockerInc::Docker::Container); `network` on networks. */
  kind: 'org.hearth.kind',
  /** The `name` a template gave a DockerInc::Docker::Container (how links find it within the project). */
  name: 'org.hearth.name',
  /** On a container server's pods: the server (resource id) whose network namespace they share. */
  server: 'org.hearth.server',
} as const;

/** The Docker name of the container of a server or container resource: `hearth-<resource id>`. */
export function serverContainerName(resourceId: string): string {
  return `hearth-${resourceId}`;
}

/** A project network as containers see it. */
export interface ProjectNetwork {
  readonly id: string;
  readonly name: string;
  /** The host's address on the network (where containers reach the Hearth API). */
  readonly gateway: string;
}

/** The Docker network name of a project: `prefix` + the project id (characters Docker refuses become `_`). */
export function projectNetworkName(prefix: string, projectId: string): string {
  return `${prefix}${projectId}`.replace(/[^a-zA-Z0-9_.-]/g, '_');
}

const locks = new Map<string, Promise<unknown>>();

/** Runs `action` after every earlier action on the same key (a per-network mutex). */
export async function serialized<T>(key: string, action: () => Promise<T>): Promise<T> {
  const previous = locks.get(key) ?? Promise.resolve();
  const next = previous.then(action, action);
  const settled = next.catch(() => undefined);
  locks.set(key, settled);
  try {
    return await next;
  } finally {
    if (locks.get(key) === settled) locks.delete(key);
  }
}

async function inspectNetwork(docker: Docker, name: string): Promise<Docker.NetworkInspectInfo | undefined> {
  try {
    return (await docker.getNetwork(name).inspect()) as Docker.NetworkInspectInfo;
  } catch (err) {
    if (dockerStatus(err) === 404) return undefined;
    throw err;
  }
}

function describe(info: Docker.NetworkInspectInfo): ProjectNetwork {
  const gateway = info.IPAM?.Config?.find((c) => c.Gateway)?.Gateway ?? '';
  return { id: info.Id, name: info.Name, gateway };
}

/** The project's network, created when missing. Call inside {@link serialized} on the network name. */
export async function ensureProjectNetwork(
  docker: Docker,
  name: string,
  projectId: string,
): Promise<ProjectNetwork> {
  const existing = await inspectNetwork(docker, name);
  if (existing) return describe(existing);
  await docker.createNetwork({
    Name: name,
    Driver: 'bridge',
    CheckDuplicate: true,
    Labels: { [SERVER_LABEL.project]: projectId, [SERVER_LABEL.kind]: 'network' },
  });
  const created = await inspectNetwork(docker, name);
  if (!created) throw new Error(`Docker network ${name} vanished right after it was created`);
  return describe(created);
}

/** Removes the project's network when no container is attached any more. Call inside {@link serialized}. */
export async function releaseProjectNetwork(docker: Docker, name: string): Promise<boolean> {
  const info = await inspectNetwork(docker, name);
  if (!info) return true;
  if (Object.keys(info.Containers ?? {}).length > 0) return false;
  try {
    await docker.getNetwork(name).remove();
    return true;
  } catch (err) {
    if (dockerStatus(err) === 404) return true;
    throw err;
  }
}
