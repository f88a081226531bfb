/**
 * What a pod's status means for its deployment, and the signal the kubelet hook sends: success once every
 * container is running and ready, failure with the container's own error (image missing or unverified, exit code,
 * OOMKilled, probe failure, a pod the host refused) as soon as it is certain, otherwise still waiting.
 */
import type { ContainerStats } from '../../runtime/pods/stats.js';
import type { ContainerStatus, PodStatus } from '../../runtime/pods/status.js';

/** Reasons that end the wait at once: waiting longer cannot fix them. */
const FATAL_REASONS = new Set([
  'ImageMissing',
  'ImageUnverified',
  'StartError',
  'InitContainerFailed',
  'CrashLoopBackOff',
  'OOMKilled',
  'Error',
  'LivenessProbeFailed',
  'PortConflict',
  'PortNotAllowed',
  'InvalidManifest',
  'VolumeNotAllowed',
  'DuplicatePod',
]);

/** Where a pod stands for its deployment. */
export type PodVerdict =
  | { readonly kind: 'ready' }
  | { readonly kind: 'failed'; readonly message: string; readonly statusCode: number }
  | { readonly kind: 'waiting'; readonly message: string };

function describe(c: ContainerStatus): string {
  const detail = c.message ?? c.reason ?? c.state;
  return `container ${c.name} (${c.image}): ${c.reason && c.message ? `${c.reason}: ${detail}` : detail}`;
}

/** The exit code to report for a failed container (1 when it has none or it is 0). */
function statusCodeOf(c: ContainerStatus | undefined): number {
  return c?.exitCode !== undefined && c.exitCode !== 0 ? c.exitCode : 1;
}

/** The verdict on `status`. */
export function judgePod(status: PodStatus): PodVerdict {
  if (status.ready || status.phase === 'Succeeded') return { kind: 'ready' };
  const all = [...status.initContainers, ...status.containers];
  const fatal = all.find(
    (c) => c.reason !== undefined && FATAL_REASONS.has(c.reason) && c.state !== 'running',
  );
  if (status.phase === 'Failed' || fatal) {
    const culprit =
      fatal ?? all.find((c) => c.state === 'terminated' && c.exitCode !== 0) ?? status.containers[0];
    const message = fatal
      ? describe(fatal)
      : `pod ${status.name}: ${status.reason ?? 'Failed'}${status.message ? `: ${status.message}` : ''}`;
    return { kind: 'failed', message, statusCode: statusCodeOf(culprit) };
  }
  const waiting = all.find((c) => !c.ready && !(c.state === 'terminated' && c.exitCode === 0));
  return {
    kind: 'waiting',
    message: waiting
      ? describe(waiting)
      : `pod ${status.name}: ${status.reason ?? status.phase}${status.message ? `: ${status.message}` : ''}`,
  };
}

/** One container in the `containers` output. */
export interface ContainerReport {
  state: ContainerStatus['state'];
  ready: boolean;
  image: string;
  restarts: number;
  reason?: string;
  message?: string;
  exit_code?: number;
  started_at?: string;
  cpu_seconds?: number;
  memory_bytes?: number;
  memory_limit_bytes?: number;
}

/** The `containers` output: every app container of `status`, keyed `<pod>/<container>`, with its figures. */
export function containerReports(
  status: PodStatus,
  stats: readonly ContainerStats[],
): Record<string, ContainerReport> {
  const out: Record<string, ContainerReport> = {};
  for (const c of status.containers) {
    const figures = stats.find((s) => s.pod === status.name && s.container === c.name);
    out[`${status.name}/${c.name}`] = {
      state: c.state,
      ready: c.ready,
      image: c.image,
      restarts: figures?.restartCount ?? c.restartCount,
      ...(c.reason !== undefined ? { reason: c.reason } : {}),
      ...(c.message !== undefined ? { message: c.message } : {}),
      ...(c.exitCode !== undefined ? { exit_code: c.exitCode } : {}),
      ...(c.startedAt !== undefined ? { started_at: c.startedAt } : {}),
      ...(figures?.cpuSeconds !== undefined
        ? { cpu_seconds: Math.round(figures.cpuSeconds * 1e6) / 1e6 }
        : {}),
      ...(figures?.memoryBytes !== undefined ? { memory_bytes: figures.memoryBytes } : {}),
      ...(figures?.memoryLimitBytes !== undefined ? { memory_limit_bytes: figures.memoryLimitBytes } : {}),
    };
  }
  return out;
}

/** The deployment's signal: the standard three, `containers`, and `pod` (name, phase, address). */
export function kubeletSignal(
  status: PodStatus,
  verdict: PodVerdict,
  stats: readonly ContainerStats[],
): Record<string, unknown> {
  const lines = status.containers.map(
    (c) =>
      `${status.name}/${c.name}: ${c.state}${c.ready ? ', ready' : ''}` +
      `${c.reason ? ` (${c.reason})` : ''}, restarts ${c.restartCount}`,
  );
  const failed = verdict.kind !== 'ready';
  return {
    deploy_stdout: `pod ${status.name}: ${status.phase}${status.ready ? ', ready' : ''}\n${lines.join('\n')}\n`,
    deploy_stderr: failed ? `${verdict.message}\n` : '',
    deploy_status_code: verdict.kind === 'failed' ? verdict.statusCode : failed ? 1 : 0,
    containers: containerReports(status, stats),
    pod: { name: status.name, phase: status.phase, ready: status.ready, ip: status.podIp ?? null },
  };
}
