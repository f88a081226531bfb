/**
 * The runner's own model of a pod, whatever manifest it came from (Heat's v1beta2 container manifest or a
 * Kubernetes v1 Pod spec subset; see manifest.ts): what to run, with which limits, probes and volumes.
 */

/** When a container that exited is started again (Kubernetes' restartPolicy). */
export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

/** A pod to run. */
export interface PodSpec {
  /** Pod name, unique per runner: `[a-z0-9]([a-z0-9-]*[a-z0-9])?`, at most 63 characters. */
  name: string;
  restartPolicy: RestartPolicy;
  /** Run one after another to completion before the app containers start. */
  initContainers: ContainerSpec[];
  containers: ContainerSpec[];
  volumes: VolumeSpec[];
  /** Extra labels for every container of the pod (project, stack, resource ids…). */
  labels: Record<string, string>;
}

/** One container of a pod. */
export interface ContainerSpec {
  name: string;
  /** Image reference: `name[:tag]`, `name@sha256:<image id>` or `sha256:<image id>`. */
  image: string;
  /** Replaces the image's entrypoint (Kubernetes `command`). */
  entrypoint?: string[];
  /** Replaces the image's command (Kubernetes `args`; v1beta2's `command`). */
  cmd?: string[];
  env: { name: string; value: string }[];
  ports: PortSpec[];
  volumeMounts: { name: string; mountPath: string; readOnly: boolean }[];
  workingDir?: string;
  limits: { memoryBytes?: number; nanoCpus?: number };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
}

/** A port of a container, published on the host when `hostPort` is set. */
export interface PortSpec {
  name?: string;
  containerPort: number;
  hostPort?: number;
  protocol: 'tcp' | 'udp';
  hostIP?: string;
}

/** How a probe checks a container, and how often. */
export type Probe = ProbeTiming &
  (
    | { kind: 'exec'; command: string[] }
    | { kind: 'http'; path: string; port: number | string; scheme: 'http' | 'https' }
    | { kind: 'tcp'; port: number | string }
  );

/** Probe timing, Kubernetes' fields and defaults. */
export interface ProbeTiming {
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

/** A pod volume. */
export type VolumeSpec =
  { name: string; kind: 'hostPath'; path: string } | { name: string; kind: 'emptyDir' };
