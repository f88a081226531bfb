/**
 * Reads a pod manifest into a {@link PodSpec}: either Heat's kubelet examples' v1beta2 container manifest
 * (`version: v1beta2`, `containers`, `volumes` with `source.hostDir` / `source.emptyDir`) or a Kubernetes v1 Pod
 * (`apiVersion: v1`, `kind: Pod`, `spec`) subset. Unknown fields, bad ports, duplicate names and volume mounts
 * naming no volume are errors listing every problem.
 */
import type { ContainerSpec, PodSpec, PortSpec, Probe, RestartPolicy, VolumeSpec } from './spec.js';
import { parseCpu, parseMemory } from './quantity.js';
import { DNS_LABEL, DNS_LABEL_HELP, join, PodManifestError, Reader, show, type Obj } from './reader.js';

/**
 * The pod `name` runs from `manifest` (a parsed JSON/YAML document).
 * @throws PodManifestError listing every problem.
 */
export function parsePodManifest(
  manifest: unknown,
  name: string,
  labels: Record<string, string> = {},
): PodSpec {
  const r = new Reader();
  if (!DNS_LABEL.test(name)) r.fail('name', `pod name ${show(name)} is not allowed (${DNS_LABEL_HELP})`);
  const doc = manifest as Obj | undefined;
  const isV1 =
    typeof doc === 'object' && doc !== null && ('apiVersion' in doc || 'kind' in doc || 'spec' in doc);
  const pod = isV1 ? readV1(r, manifest, name, labels) : readV1beta2(r, manifest, name, labels);
  if (pod) checkPod(r, pod, isV1 ? 'spec.' : '');
  if (r.problems.length > 0 || !pod) throw new PodManifestError(name, r.problems);
  return pod;
}

function readV1beta2(
  r: Reader,
  manifest: unknown,
  name: string,
  labels: Record<string, string>,
): PodSpec | undefined {
  const doc = r.object(manifest, '', ['version', 'id', 'uuid', 'containers', 'volumes', 'restartPolicy']);
  if (!doc) return undefined;
  const version = doc['version'];
  if (version !== undefined && version !== 'v1beta2' && version !== 'v1beta1') {
    r.fail('version', `must be v1beta2 (or v1beta1), got ${show(version)}`);
  }
  const containers = r
    .list(doc, 'containers', '')
    .map((c, i) => readV1beta2Container(r, c, join('containers', i)));
  const volumes = r.list(doc, 'volumes', '').map((v, i) => readV1beta2Volume(r, v, join('volumes', i)));
  return {
    name,
    restartPolicy: readV1beta2Restart(r, doc['restartPolicy']),
    initContainers: [],
    containers: containers.filter((c): c is ContainerSpec => c !== undefined),
    volumes: volumes.filter((v): v is VolumeSpec => v !== undefined),
    labels,
  };
}

function readV1beta2Container(r: Reader, value: unknown, path: string): ContainerSpec | undefined {
  const c = r.object(value, path, [
    'name',
    'image',
    'command',
    'workingDir',
    'ports',
    'env',
    'volumeMounts',
    'cpu',
    'memory',
    'imagePullPolicy',
  ]);
  if (!c) return undefined;
  const memory = r.integer(c, 'memory', path, 4 * 1024 * 1024, Number.MAX_SAFE_INTEGER);
  const cpu = r.integer(c, 'cpu', path, 1, 1_000_000);
  return {
    ...readCommon(r, c, path),
    cmd: r.strings(c, 'command', path),
    limits: { memoryBytes: memory, nanoCpus: cpu === undefined ? undefined : cpu * 1e6 },
  };
}

function readV1beta2Volume(r: Reader, value: unknown, path: string): VolumeSpec | undefined {
  const v = r.object(value, path, ['name', 'source']);
  if (!v) return undefined;
  const name = r.string(v, 'name', path, { required: true, pattern: DNS_LABEL, help: DNS_LABEL_HELP }) ?? '';
  const source =
    v['source'] === undefined
      ? { emptyDir: {} }
      : r.object(v['source'], join(path, 'source'), ['hostDir', 'emptyDir']);
  if (!source) return undefined;
  if (source['hostDir'] !== undefined) {
    const hostDir = r.object(source['hostDir'], join(path, 'source.hostDir'), ['path']);
    const hostPath = hostDir && r.string(hostDir, 'path', join(path, 'source.hostDir'), { required: true });
    return hostPath ? { name, kind: 'hostPath', path: hostPath } : undefined;
  }
  return { name, kind: 'emptyDir' };
}

function readV1beta2Restart(r: Reader, value: unknown): RestartPolicy {
  if (value === undefined) return 'Always';
  const policy = r.object(value, 'restartPolicy', ['always', 'onFailure', 'never']);
  if (!policy) return 'Always';
  if ('never' in policy) return 'Never';
  if ('onFailure' in policy) return 'OnFailure';
  return 'Always';
}

function readV1(
  r: Reader,
  manifest: unknown,
  fallbackName: string,
  labels: Record<string, string>,
): PodSpec | undefined {
  const doc = r.object(manifest, '', ['apiVersion', 'kind', 'metadata', 'spec']);
  if (!doc) return undefined;
  if (doc['apiVersion'] !== undefined && doc['apiVersion'] !== 'v1')
    r.fail('apiVersion', `must be v1, got ${show(doc['apiVersion'])}`);
  if (doc['kind'] !== undefined && doc['kind'] !== 'Pod')
    r.fail('kind', `must be Pod, got ${show(doc['kind'])}`);
  const metadata =
    doc['metadata'] === undefined
      ? {}
      : r.object(doc['metadata'], 'metadata', ['name', 'namespace', 'labels', 'annotations']);
  const podLabels = { ...stringMap(r, metadata?.['labels'], 'metadata.labels'), ...labels };
  const spec = r.object(doc['spec'], 'spec', [
    'containers',
    'initContainers',
    'volumes',
    'restartPolicy',
    'terminationGracePeriodSeconds',
    'hostname',
  ]);
  if (!spec) return undefined;
  const restart = r.string(spec, 'restartPolicy', 'spec', {
    pattern: /^(Always|OnFailure|Never)$/,
    help: 'Always, OnFailure or Never',
  });
  const containers = (key: string) =>
    r
      .list(spec, key, 'spec')
      .map((c, i) => readV1Container(r, c, join(join('spec', key), i)))
      .filter((c): c is ContainerSpec => c !== undefined);
  const initContainers = containers('initContainers');
  const appContainers = containers('containers');
  const volumes = r.list(spec, 'volumes', 'spec').map((v, i) => readV1Volume(r, v, join('spec.volumes', i)));
  return {
    name: fallbackName,
    restartPolicy: (restart as RestartPolicy | undefined) ?? 'Always',
    initContainers,
    containers: appContainers,
    volumes: volumes.filter((v): v is VolumeSpec => v !== undefined),
    labels: podLabels,
  };
}

const V1_CONTAINER_FIELDS = [
  'name',
  'image',
  'command',
  'args',
  'workingDir',
  'ports',
  'env',
  'volumeMounts',
  'resources',
  'livenessProbe',
  'readinessProbe',
  'imagePullPolicy',
];

function readV1Container(r: Reader, value: unknown, path: string): ContainerSpec | undefined {
  const c = r.object(value, path, V1_CONTAINER_FIELDS);
  if (!c) return undefined;
  const pull = c['imagePullPolicy'];
  if (pull !== undefined && pull !== 'Never' && pull !== 'IfNotPresent') {
    r.fail(
      join(path, 'imagePullPolicy'),
      `${show(pull)} is not supported: Hearth never pulls (use Never or IfNotPresent)`,
    );
  }
  return {
    ...readCommon(r, c, path),
    entrypoint: r.strings(c, 'command', path),
    cmd: r.strings(c, 'args', path),
    limits: readResources(r, c['resources'], join(path, 'resources')),
    livenessProbe: readProbe(r, c['livenessProbe'], join(path, 'livenessProbe')),
    readinessProbe: readProbe(r, c['readinessProbe'], join(path, 'readinessProbe')),
  };
}

function readV1Volume(r: Reader, value: unknown, path: string): VolumeSpec | undefined {
  const v = r.object(value, path, ['name', 'hostPath', 'emptyDir']);
  if (!v) return undefined;
  const name = r.string(v, 'name', path, { required: true, pattern: DNS_LABEL, help: DNS_LABEL_HELP }) ?? '';
  if (v['hostPath'] !== undefined) {
    const hostPath = r.object(v['hostPath'], join(path, 'hostPath'), ['path', 'type']);
    const p = hostPath && r.string(hostPath, 'path', join(path, 'hostPath'), { required: true });
    return p ? { name, kind: 'hostPath', path: p } : undefined;
  }
  if (v['emptyDir'] !== undefined) {
    r.object(v['emptyDir'], join(path, 'emptyDir'), ['medium', 'sizeLimit']);
    return { name, kind: 'emptyDir' };
  }
  return r.fail(path, 'needs hostPath or emptyDir (the only volume types supported)');
}

function readCommon(r: Reader, c: Obj, path: string): Omit<ContainerSpec, 'limits'> {
  const name = r.string(c, 'name', path, { required: true, pattern: DNS_LABEL, help: DNS_LABEL_HELP }) ?? '';
  const image =
    r.string(c, 'image', path, {
      required: true,
      pattern: /^[^\s]+$/,
      help: 'an image reference without spaces',
    }) ?? '';
  return {
    name,
    image,
    workingDir: r.string(c, 'workingDir', path, { pattern: /^\//, help: 'an absolute path' }),
    env: r.list(c, 'env', path).flatMap((e, i) => readEnv(r, e, join(join(path, 'env'), i))),
    ports: r.list(c, 'ports', path).flatMap((p, i) => readPort(r, p, join(join(path, 'ports'), i))),
    volumeMounts: r.list(c, 'volumeMounts', path).flatMap((m, i) => {
      const p = join(join(path, 'volumeMounts'), i);
      const mount = r.object(m, p, ['name', 'mountPath', 'readOnly']);
      if (!mount) return [];
      const mountName = r.string(mount, 'name', p, { required: true });
      const mountPath = r.string(mount, 'mountPath', p, {
        required: true,
        pattern: /^\//,
        help: 'an absolute path',
      });
      return mountName && mountPath
        ? [{ name: mountName, mountPath, readOnly: r.boolean(mount, 'readOnly', p) }]
        : [];
    }),
  };
}

function readEnv(r: Reader, value: unknown, path: string): { name: string; value: string }[] {
  const e = r.object(value, path, ['name', 'value']);
  if (!e) return [];
  const name = r.string(e, 'name', path, { required: true, pattern: /^[^=]+$/, help: 'no = in names' });
  const v = e['value'];
  if (v !== undefined && typeof v !== 'string')
    return r.fail(join(path, 'value'), `must be a string, got ${show(v)}`) ?? [];
  return name ? [{ name, value: (v as string | undefined) ?? '' }] : [];
}

function readPort(r: Reader, value: unknown, path: string): PortSpec[] {
  const p = r.object(value, path, ['name', 'containerPort', 'hostPort', 'protocol', 'hostIP']);
  if (!p) return [];
  const containerPort = r.integer(p, 'containerPort', path, 1, 65535, true);
  const hostPort = r.integer(p, 'hostPort', path, 1, 65535);
  const protocol = r.string(p, 'protocol', path, { pattern: /^(TCP|UDP|tcp|udp)$/, help: 'TCP or UDP' });
  const hostIP = r.string(p, 'hostIP', path, { pattern: /^[0-9a-fA-F.:]+$/, help: 'an IP address' });
  const name = r.string(p, 'name', path, {
    pattern: /^[a-z0-9-]{1,15}$/,
    help: 'at most 15 lower-case letters, digits and -',
  });
  if (containerPort === undefined) return [];
  return [
    {
      name,
      containerPort,
      hostPort: hostPort || undefined,
      protocol: protocol?.toLowerCase() === 'udp' ? 'udp' : 'tcp',
      hostIP,
    },
  ];
}

function readResources(r: Reader, value: unknown, path: string): ContainerSpec['limits'] {
  if (value === undefined) return {};
  const res = r.object(value, path, ['limits', 'requests']);
  const limits =
    res?.['limits'] === undefined
      ? undefined
      : r.object(res['limits'], join(path, 'limits'), ['memory', 'cpu']);
  if (!limits) return {};
  const memoryBytes = limits['memory'] === undefined ? undefined : parseMemory(limits['memory']);
  if (limits['memory'] !== undefined && (memoryBytes === undefined || memoryBytes < 6 * 1024 * 1024)) {
    r.fail(
      join(path, 'limits.memory'),
      `${show(limits['memory'])} is not a memory quantity of at least 6Mi (e.g. 64Mi, 1Gi)`,
    );
  }
  const nanoCpus = limits['cpu'] === undefined ? undefined : parseCpu(limits['cpu']);
  if (limits['cpu'] !== undefined && nanoCpus === undefined) {
    r.fail(join(path, 'limits.cpu'), `${show(limits['cpu'])} is not a CPU quantity (e.g. 500m, 0.5, 2)`);
  }
  return { memoryBytes, nanoCpus };
}

function readProbe(r: Reader, value: unknown, path: string): Probe | undefined {
  if (value === undefined) return undefined;
  const p = r.object(value, path, [
    'exec',
    'httpGet',
    'tcpSocket',
    'initialDelaySeconds',
    'periodSeconds',
    'timeoutSeconds',
    'failureThreshold',
    'successThreshold',
  ]);
  if (!p) return undefined;
  const timing = {
    initialDelaySeconds: r.integer(p, 'initialDelaySeconds', path, 0, 3600) ?? 0,
    periodSeconds: r.integer(p, 'periodSeconds', path, 1, 3600) ?? 10,
    timeoutSeconds: r.integer(p, 'timeoutSeconds', path, 1, 3600) ?? 1,
    failureThreshold: r.integer(p, 'failureThreshold', path, 1, 100) ?? 3,
  };
  r.integer(p, 'successThreshold', path, 1, 1);
  const kinds = ['exec', 'httpGet', 'tcpSocket'].filter((k) => p[k] !== undefined);
  if (kinds.length !== 1)
    return r.fail(
      path,
      `needs exactly one of exec, httpGet, tcpSocket, got ${kinds.length === 0 ? 'none' : kinds.join(', ')}`,
    );
  if (p['exec'] !== undefined) {
    const exec = r.object(p['exec'], join(path, 'exec'), ['command']);
    const command = exec && r.strings(exec, 'command', join(path, 'exec'));
    return command && command.length > 0
      ? { ...timing, kind: 'exec', command }
      : r.fail(join(path, 'exec.command'), 'is required');
  }
  if (p['httpGet'] !== undefined) {
    const http = r.object(p['httpGet'], join(path, 'httpGet'), [
      'path',
      'port',
      'scheme',
      'host',
      'httpHeaders',
    ]);
    if (!http) return undefined;
    const port = readProbePort(r, http, join(path, 'httpGet'));
    const scheme = r.string(http, 'scheme', join(path, 'httpGet'), {
      pattern: /^(HTTP|HTTPS)$/,
      help: 'HTTP or HTTPS',
    });
    const httpPath =
      r.string(http, 'path', join(path, 'httpGet'), { pattern: /^\//, help: 'starting with /' }) ?? '/';
    return port === undefined
      ? undefined
      : { ...timing, kind: 'http', path: httpPath, port, scheme: scheme === 'HTTPS' ? 'https' : 'http' };
  }
  const tcp = r.object(p['tcpSocket'], join(path, 'tcpSocket'), ['port', 'host']);
  const port = tcp && readProbePort(r, tcp, join(path, 'tcpSocket'));
  return port === undefined ? undefined : { ...timing, kind: 'tcp', port };
}

function readProbePort(r: Reader, obj: Obj, path: string): number | string | undefined {
  const port = obj['port'];
  if (typeof port === 'string' && /^[a-z0-9-]{1,15}$/.test(port)) return port;
  return r.integer(obj, 'port', path, 1, 65535, true);
}

function stringMap(r: Reader, value: unknown, path: string): Record<string, string> {
  if (value === undefined) return {};
  const obj = r.object(value, path, Object.keys((value as Obj | null) ?? {}));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj ?? {})) {
    if (typeof v === 'string') out[k] = v;
    else r.fail(join(path, k), `must be a string, got ${show(v)}`);
  }
  return out;
}

/** Pod-level checks: at least one container, unique names, mounts of declared volumes, no host port twice. */
function checkPod(r: Reader, pod: PodSpec, prefix: string): void {
  if (pod.containers.length === 0) r.fail(`${prefix}containers`, 'needs at least one container');
  const names = new Set<string>();
  for (const c of [...pod.initContainers, ...pod.containers]) {
    if (names.has(c.name)) r.fail(`${prefix}containers`, `container name ${show(c.name)} is used twice`);
    names.add(c.name);
  }
  const volumes = new Set<string>();
  for (const v of pod.volumes) {
    if (volumes.has(v.name)) r.fail(`${prefix}volumes`, `volume name ${show(v.name)} is used twice`);
    volumes.add(v.name);
    if (v.kind === 'hostPath' && !v.path.startsWith('/'))
      r.fail(`${prefix}volumes`, `hostPath ${show(v.path)} must be absolute`);
  }
  const hostPorts = new Map<string, string>();
  for (const c of [...pod.initContainers, ...pod.containers]) {
    for (const m of c.volumeMounts) {
      if (!volumes.has(m.name))
        r.fail(
          `${prefix}containers[${c.name}].volumeMounts`,
          `names volume ${show(m.name)}, which the pod does not declare`,
        );
    }
    for (const p of c.ports) {
      if (p.hostPort === undefined) continue;
      const key = `${p.hostPort}/${p.protocol}`;
      const other = hostPorts.get(key);
      if (other)
        r.fail(`${prefix}containers[${c.name}].ports`, `hostPort ${key} is also used by container ${other}`);
      hostPorts.set(key, c.name);
    }
  }
}
