/**
 * The labels on every container and volume the runner creates: they are the runner's only memory, so that after a
 * restart it adopts what exists (by runner, pod and spec hash) instead of creating duplicates.
 */
import { createHash } from 'node:crypto';
import type { PodSpec } from './spec.js';

/** Label keys. */
export const LABEL = {
  /** Which runner owns it (one per agent/host; tests use their own). */
  runner: 'org.hearth.runner',
  pod: 'org.hearth.pod',
  /** `infra`, `init` or `app`. */
  role: 'org.hearth.role',
  container: 'org.hearth.container',
  /** Hash of the pod spec the container was made from: a different hash means the pod is replaced. */
  specHash: 'org.hearth.spec-hash',
} as const;

/** A container's role in its pod. */
export type Role = 'infra' | 'init' | 'app';

/** The hash of everything in `pod` that shapes its containers. */
export function specHash(pod: PodSpec): string {
  return createHash('sha256').update(JSON.stringify(pod)).digest('hex').slice(0, 16);
}

/** The labels of one container of `pod`. */
export function containerLabels(
  runner: string,
  pod: PodSpec,
  role: Role,
  container: string,
): Record<string, string> {
  return {
    ...pod.labels,
    [LABEL.runner]: runner,
    [LABEL.pod]: pod.name,
    [LABEL.role]: role,
    [LABEL.container]: container,
    [LABEL.specHash]: specHash(pod),
  };
}

/** The Docker name of a pod's container (`infra` for the network holder). */
export function containerName(runner: string, pod: string, container: string): string {
  return `hearth_${runner}_${pod}_${container}`;
}

/** The Docker name of a pod's emptyDir volume. */
export function volumeName(runner: string, pod: string, volume: string): string {
  return `hearth_${runner}_${pod}_${volume}`;
}
