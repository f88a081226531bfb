/** The pod runner's public surface (see runner.ts and docs/runtime.md). */
export { parsePodManifest } from './manifest.js';
export { PodManifestError, type ManifestProblem } from './reader.js';
export { PodRunner, type PodRunnerOptions } from './runner.js';
export { localImages, verifiedImages, type ImageResolver, type ImageResolution } from './images.js';
export { LABEL } from './labels.js';
export type { ContainerSpec, PodSpec, PortSpec, Probe, RestartPolicy, VolumeSpec } from './spec.js';
export type { ContainerStatus, PodPhase, PodStatus } from './status.js';
export type { ContainerStats } from './stats.js';
