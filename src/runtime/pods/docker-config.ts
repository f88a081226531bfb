/** The Docker create options of a pod's infra container and of its app and init containers. */
import type Docker from 'dockerode';
import { containerLabels, containerName, volumeName, type Role } from './labels.js';
import type { ContainerSpec, PodSpec, RestartPolicy } from './spec.js';

/** Settings shared by every pod of a runner. */
export interface PodHostSettings {
  runner: string;
  infraImage: string;
  /** Address host ports are published on unless a port names its own hostIP. */
  hostIp: string;
  /**
   * The container whose network namespace every pod joins (a container server's): the infra container then has
   * no address, hostname or published port of its own.
   */
  networkContainer?: string;
  /** Docker's CgroupParent of every container (a container server's cgroup: its limits cover the pods). */
  cgroupParent?: string;
}

/**
 * The infra ("pause") container: holds the pod's network namespace and every published host port; runs `sleep`
 * under docker-init so it stops at once.
 */
export function infraOptions(pod: PodSpec, host: PodHostSettings): Docker.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const c of pod.containers) {
    for (const p of c.ports) {
      const key = `${p.containerPort}/${p.protocol}`;
      exposed[key] = {};
      if (p.hostPort !== undefined)
        bindings[key] = [{ HostIp: p.hostIP ?? host.hostIp, HostPort: String(p.hostPort) }];
    }
  }
  const base = {
    name: containerName(host.runner, pod.name, 'infra'),
    Image: host.infraImage,
    Cmd: ['sleep', '2147483647'],
    Labels: containerLabels(host.runner, pod, 'infra', 'infra'),
  };
  if (host.networkContainer) {
    // Docker refuses a hostname, exposed or published ports with another container's network namespace.
    return {
      ...base,
      HostConfig: {
        Init: true,
        IpcMode: 'shareable',
        NetworkMode: `container:${host.networkContainer}`,
        RestartPolicy: { Name: 'always' },
        ...(host.cgroupParent ? { CgroupParent: host.cgroupParent } : {}),
      },
    };
  }
  return {
    ...base,
    Hostname: pod.name,
    ExposedPorts: exposed,
    HostConfig: {
      Init: true,
      IpcMode: 'shareable',
      PortBindings: bindings,
      RestartPolicy: { Name: 'always' },
      ...(host.cgroupParent ? { CgroupParent: host.cgroupParent } : {}),
    },
  };
}

/** An app or init container joined to the infra container's namespaces. */
export function containerOptions(
  pod: PodSpec,
  spec: ContainerSpec,
  role: Exclude<Role, 'infra'>,
  image: string,
  infraId: string,
  host: PodHostSettings,
): Docker.ContainerCreateOptions {
  const binds = spec.volumeMounts.map((m) => {
    const volume = pod.volumes.find((v) => v.name === m.name);
    const source = volume?.kind === 'hostPath' ? volume.path : volumeName(host.runner, pod.name, m.name);
    return `${source}:${m.mountPath}${m.readOnly ? ':ro' : ''}`;
  });
  return {
    name: containerName(host.runner, pod.name, spec.name),
    Image: image,
    ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
    ...(spec.cmd ? { Cmd: spec.cmd } : {}),
    Env: spec.env.map((e) => `${e.name}=${e.value}`),
    ...(spec.workingDir ? { WorkingDir: spec.workingDir } : {}),
    Labels: containerLabels(host.runner, pod, role, spec.name),
    HostConfig: {
      NetworkMode: `container:${infraId}`,
      IpcMode: `container:${infraId}`,
      Init: true,
      Binds: binds,
      RestartPolicy: role === 'init' ? { Name: 'no' } : dockerRestartPolicy(pod.restartPolicy),
      ...(host.cgroupParent ? { CgroupParent: host.cgroupParent } : {}),
      ...(spec.limits.memoryBytes
        ? { Memory: spec.limits.memoryBytes, MemorySwap: spec.limits.memoryBytes }
        : {}),
      ...(spec.limits.nanoCpus ? { NanoCpus: spec.limits.nanoCpus } : {}),
    },
  };
}

/** Docker's restart policy for Kubernetes' (Docker backs off between restarts itself). */
export function dockerRestartPolicy(policy: RestartPolicy): { Name: string } {
  if (policy === 'Always') return { Name: 'always' };
  if (policy === 'OnFailure') return { Name: 'on-failure' };
  return { Name: 'no' };
}
