/**
 * What the runner reports: per container running / waiting / terminated with Kubernetes-style reasons (image
 * missing, exit code, OOMKilled, probe failure), and the pod's phase and readiness derived from them.
 */
import type Docker from 'dockerode';
import type { RestartPolicy } from './spec.js';

/** The state of one container. */
export interface ContainerStatus {
  name: string;
  image: string;
  containerId?: string;
  state: 'running' | 'waiting' | 'terminated';
  /** Running and its readiness probe (if any) passes. */
  ready: boolean;
  /** ImageMissing, ImageUnverified, ContainerCreating, PodInitializing, CrashLoopBackOff, Completed, Error, OOMKilled, ReadinessProbeFailed, LivenessProbeFailed, StartError… */
  reason?: string;
  message?: string;
  exitCode?: number;
  /** Restarts by policy (Docker's count) plus restarts after liveness failures. */
  restartCount: number;
  startedAt?: string;
}

/** Kubernetes' pod phases. */
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

/** The state of one pod. */
export interface PodStatus {
  name: string;
  phase: PodPhase;
  /** Every app container running and ready. */
  ready: boolean;
  reason?: string;
  message?: string;
  /** The pod's address on the host's container network. */
  podIp?: string;
  initContainers: ContainerStatus[];
  containers: ContainerStatus[];
}

/** The status of a container from `docker inspect`. */
export function containerStatus(
  name: string,
  image: string,
  info: Docker.ContainerInspectInfo,
  extraRestarts: number,
): ContainerStatus {
  const s = info.State;
  const base = {
    name,
    image,
    containerId: info.Id,
    restartCount: info.RestartCount + extraRestarts,
    startedAt: s.StartedAt && !s.StartedAt.startsWith('0001') ? s.StartedAt : undefined,
  };
  if (s.Restarting) {
    return {
      ...base,
      state: 'waiting',
      ready: false,
      reason: 'CrashLoopBackOff',
      exitCode: s.ExitCode,
      message: `restarting after ${s.OOMKilled ? 'OOMKilled, ' : ''}exit code ${s.ExitCode}`,
    };
  }
  if (s.Running) return { ...base, state: 'running', ready: true };
  if (s.Status === 'created') return { ...base, state: 'waiting', ready: false, reason: 'ContainerCreating' };
  const reason = s.OOMKilled ? 'OOMKilled' : s.ExitCode === 0 ? 'Completed' : 'Error';
  const message =
    s.Error ||
    (s.OOMKilled ? `killed: out of memory (exit code ${s.ExitCode})` : `exited with code ${s.ExitCode}`);
  return { ...base, state: 'terminated', ready: false, reason, exitCode: s.ExitCode, message };
}

/** A container that does not exist (yet), waiting for `reason`. */
export function waitingStatus(
  name: string,
  image: string,
  reason: string,
  message?: string,
): ContainerStatus {
  return { name, image, state: 'waiting', ready: false, reason, message, restartCount: 0 };
}

/** The pod's phase, readiness and headline reason from its containers. */
export function podStatus(
  name: string,
  policy: RestartPolicy,
  initContainers: ContainerStatus[],
  containers: ContainerStatus[],
  podIp: string | undefined,
): PodStatus {
  const base = { name, podIp, initContainers, containers };
  const failedInit = initContainers.find((c) => c.state === 'terminated' && c.exitCode !== 0);
  if (failedInit) {
    return {
      ...base,
      phase: 'Failed',
      ready: false,
      reason: 'InitContainerFailed',
      message: `init container ${failedInit.name}: ${failedInit.message ?? failedInit.reason}`,
    };
  }
  const waitingInit = initContainers.find((c) => !(c.state === 'terminated' && c.exitCode === 0));
  if (waitingInit) {
    return {
      ...base,
      phase: 'Pending',
      ready: false,
      reason: waitingInit.reason ?? 'PodInitializing',
      message: waitingInit.message,
    };
  }
  const notRunning = containers.find((c) => c.state !== 'running');
  const terminated = containers.filter((c) => c.state === 'terminated');
  if (terminated.length === containers.length && policy !== 'Always') {
    const bad = terminated.find((c) => c.exitCode !== 0);
    if (!bad) return { ...base, phase: 'Succeeded', ready: false, reason: 'Completed' };
    if (policy === 'Never')
      return {
        ...base,
        phase: 'Failed',
        ready: false,
        reason: bad.reason,
        message: `container ${bad.name}: ${bad.message}`,
      };
  }
  if (notRunning) {
    const failed = policy === 'Never' && notRunning.state === 'terminated' && notRunning.exitCode !== 0;
    return {
      ...base,
      phase: failed
        ? 'Failed'
        : notRunning.state === 'waiting' && notRunning.containerId === undefined
          ? 'Pending'
          : 'Running',
      ready: false,
      reason: notRunning.reason,
      message: `container ${notRunning.name}: ${notRunning.message ?? notRunning.reason}`,
    };
  }
  const unready = containers.find((c) => !c.ready);
  if (unready)
    return {
      ...base,
      phase: 'Running',
      ready: false,
      reason: unready.reason,
      message: `container ${unready.name}: ${unready.message ?? 'not ready'}`,
    };
  return { ...base, phase: 'Running', ready: true };
}
