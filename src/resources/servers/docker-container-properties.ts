/**
 * The properties of DockerInc::Docker::Container (Heat's contrib `heat_docker`) read into Docker's create options,
 * with docker-py's short forms accepted (`{"80": 8080}`, `"80"` for `80/tcp`). Everything a tenant must not have on
 * a shared host (privileged mode, host bind mounts, another Docker endpoint, other containers' volumes) is refused
 * with a precise reason instead of being ignored.
 */
import type { Properties } from '../../engine/plugin.js';
import type { ContainerRequest } from '../../runtime/servers/server-host.js';
import { propertyError } from './property-error.js';

/** Docker's restart policy names. */
export const RESTART_POLICIES = ['no', 'always', 'on-failure', 'unless-stopped'] as const;

const PORT = /^([0-9]{1,5})(?:\/(tcp|udp|sctp))?$/;
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;

/** The parts of a {@link ContainerRequest} the properties decide (without names and ids). */
export type ContainerOptions = Omit<
  ContainerRequest,
  'projectId' | 'stackId' | 'resourceId' | 'kind' | 'links'
> & {
  /** Link target names (`name` properties of the project's containers) → aliases. */
  readonly links?: Readonly<Record<string, string>>;
};

/** `port` (`80`, `80/udp`) as Docker's `80/tcp` form. @throws the property error */
function portKey(resourceName: string, property: string, value: unknown): string {
  const match = PORT.exec(String(value));
  const number = Number(match?.[1]);
  if (!match || typeof value === 'object' || number < 1 || number > 65535)
    throw propertyError(
      resourceName,
      property,
      `${JSON.stringify(value)} is not a port; expected 1-65535, optionally with /tcp, /udp or /sctp`,
    );
  return `${number}/${match[2] ?? 'tcp'}`;
}

function hostBinding(
  resourceName: string,
  key: string,
  value: unknown,
): { HostIp?: string; HostPort: string } {
  const where = `port_bindings.${key}`;
  if (typeof value === 'number' || typeof value === 'string')
    return { HostPort: portKey(resourceName, where, value).split('/')[0]! };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    const unknown = Object.keys(v).filter((k) => k !== 'HostIp' && k !== 'HostPort');
    if (unknown.length > 0)
      throw propertyError(
        resourceName,
        where,
        `unknown keys ${unknown.join(', ')}; allowed: HostIp, HostPort`,
      );
    return {
      ...(typeof v['HostIp'] === 'string' && v['HostIp'] ? { HostIp: v['HostIp'] } : {}),
      HostPort: portKey(resourceName, where, v['HostPort']).split('/')[0]!,
    };
  }
  throw propertyError(
    resourceName,
    where,
    `${JSON.stringify(value)} is not a host port; expected a port, {HostIp, HostPort} or a list of those`,
  );
}

/** `port_bindings` in Docker's form. */
function portBindings(resourceName: string, value: unknown): ContainerRequest['portBindings'] {
  if (value === null || value === undefined) return undefined;
  const result: Record<string, { HostIp?: string; HostPort: string }[]> = {};
  for (const [key, binding] of Object.entries(value as Record<string, unknown>)) {
    const port = portKey(resourceName, 'port_bindings', key);
    const list = Array.isArray(binding) ? binding : [binding];
    result[port] = list.map((b) => hostBinding(resourceName, key, b));
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

/** `volumes`: container paths become anonymous volumes; a host bind mount is refused. */
function volumes(resourceName: string, value: unknown): string[] {
  const result: string[] = [];
  for (const [path, spec] of Object.entries((value ?? {}) as Record<string, unknown>)) {
    if (!path.startsWith('/'))
      throw propertyError(resourceName, 'volumes', `"${path}" is not an absolute container path`);
    const bind = spec !== null && typeof spec === 'object' && 'bind' in spec;
    if (bind || (typeof spec === 'string' && spec !== ''))
      throw propertyError(
        resourceName,
        'volumes',
        `"${path}": host bind mounts are not allowed on a shared host; give container paths only ({"/data": {}})`,
      );
    result.push(path);
  }
  return result;
}

function restartPolicy(resourceName: string, value: unknown): ContainerRequest['restartPolicy'] {
  if (value === null || value === undefined) return undefined;
  const v = value as Record<string, unknown>;
  const name = v['Name'] ?? 'no';
  if (typeof name !== 'string' || !(RESTART_POLICIES as readonly string[]).includes(name))
    throw propertyError(
      resourceName,
      'restart_policy.Name',
      `${JSON.stringify(name)} is not a restart policy; allowed: ${RESTART_POLICIES.join(', ')}`,
    );
  const retries = v['MaximumRetryCount'];
  if (retries !== undefined && (!Number.isInteger(Number(retries)) || Number(retries) < 0))
    throw propertyError(
      resourceName,
      'restart_policy.MaximumRetryCount',
      `${JSON.stringify(retries)} is not a count; expected an integer ≥ 0`,
    );
  return { Name: name, ...(retries !== undefined ? { MaximumRetryCount: Number(retries) } : {}) };
}

function links(resourceName: string, value: unknown): Record<string, string> | undefined {
  if (value === null || value === undefined) return undefined;
  const result: Record<string, string> = {};
  for (const [target, alias] of Object.entries(value as Record<string, unknown>)) {
    const aliasText = alias === null || alias === '' ? target : String(alias);
    if (!CONTAINER_NAME.test(target) || !CONTAINER_NAME.test(aliasText))
      throw propertyError(
        resourceName,
        'links',
        `${JSON.stringify({ [target]: alias })}: link targets and aliases are container names ([a-zA-Z0-9][a-zA-Z0-9_.-]*)`,
      );
    result[target] = aliasText;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.length > 0 ? value.map(String) : undefined;
}

/**
 * The container options of `properties` (validation passes properties with unknown values as null, which are
 * skipped). @throws HeatError StackValidationFailed naming the property and the problem
 */
export function containerOptions(properties: Properties, resourceName: string): ContainerOptions {
  const refuse = (property: string, problem: string): never => {
    throw propertyError(resourceName, property, problem);
  };
  if (typeof properties['docker_endpoint'] === 'string' && properties['docker_endpoint'] !== '')
    refuse('docker_endpoint', "containers run on Hearth's own dockerd; leave docker_endpoint unset");
  if (properties['privileged'] === true)
    refuse('privileged', 'privileged containers are not allowed on a shared host');
  if (Array.isArray(properties['volumes_from']) && properties['volumes_from'].length > 0)
    refuse('volumes_from', "another container's volumes are not shared; declare volumes instead");
  const name = properties['name'];
  if (typeof name === 'string' && name !== '' && !CONTAINER_NAME.test(name))
    refuse('name', `"${name}" is not a container name ([a-zA-Z0-9][a-zA-Z0-9_.-]{0,62})`);
  const memory = properties['memory'];
  if (typeof memory === 'number' && memory !== 0 && memory < 6 * 1024 * 1024)
    refuse('memory', `${memory} bytes is below Docker's minimum of 6 MiB (6291456); 0 means no limit`);
  const exposedPorts = Array.isArray(properties['port_specs'])
    ? properties['port_specs'].map((p) => portKey(resourceName, 'port_specs', p))
    : [];
  const bindings = portBindings(resourceName, properties['port_bindings']);
  const volumePaths = volumes(resourceName, properties['volumes']);
  const policy = restartPolicy(resourceName, properties['restart_policy']);
  const linkMap = links(resourceName, properties['links']);
  const cmd = strings(properties['cmd']);
  const env = strings(properties['env']);
  const dns = strings(properties['dns']);
  return {
    image: String(properties['image']),
    ...(cmd ? { cmd } : {}),
    ...(env ? { env } : {}),
    ...(dns ? { dns } : {}),
    ...(typeof properties['hostname'] === 'string' && properties['hostname']
      ? { hostname: properties['hostname'] }
      : {}),
    ...(typeof properties['user'] === 'string' && properties['user'] ? { user: properties['user'] } : {}),
    ...(properties['tty'] === true ? { tty: true } : {}),
    ...(properties['open_stdin'] === true
      ? { openStdin: true, stdinOnce: properties['stdin_once'] === true }
      : {}),
    ...(typeof memory === 'number' && memory > 0 ? { limits: { NanoCpus: 0, Memory: memory } } : {}),
    ...(exposedPorts.length > 0 ? { exposedPorts } : {}),
    ...(bindings ? { portBindings: bindings } : {}),
    ...(volumePaths.length > 0 ? { volumes: volumePaths } : {}),
    ...(policy ? { restartPolicy: policy } : {}),
    ...(linkMap ? { links: linkMap } : {}),
    ...(typeof name === 'string' && name ? { alias: name } : {}),
    init: false,
  };
}
