/**
 * Which pods the current kubelet deployments ask for: each deployment of group `kubelet` is one pod, named after
 * the deployment (so a new config of the same deployment — a new image, any manifest change — replaces that pod),
 * whose manifest is the config (a map, or JSON/YAML text).
 */
import { parse as parseYaml } from 'yaml';
import { parsePodManifest } from '../../runtime/pods/manifest.js';
import type { PodSpec } from '../../runtime/pods/spec.js';
import {
  coerceStringInputs,
  deploymentIdOf,
  inputValue,
  resolveComponent,
  type DeploymentConfig,
} from '../deployment.js';

/** The group the kubelet hook applies. */
export const KUBELET_GROUP = 'kubelet';

/** Label naming the server (agent) a pod belongs to. */
export const SERVER_LABEL = 'org.hearth.server';
/** Label naming the deployment a pod belongs to. */
export const DEPLOYMENT_LABEL = 'org.hearth.deployment';

/** How long a deployment waits for its pod when it has no `deploy_timeout` input, in seconds. */
export const DEFAULT_DEPLOY_TIMEOUT_SECONDS = 120;

/** The configs of `deployments` (as received) that the kubelet applies, coerced and resolved. */
export function kubeletConfigs(deployments: readonly DeploymentConfig[]): DeploymentConfig[] {
  return deployments
    .map((raw) => resolveComponent(coerceStringInputs(raw)))
    .filter((c): c is DeploymentConfig => c !== undefined && c.group === KUBELET_GROUP);
}

/**
 * The pod name of a kubelet deployment: its deployment id (from the signal URL), else its config name, else its
 * config id — lower-cased and cut to a DNS label.
 */
export function podNameOf(c: DeploymentConfig): string {
  const source = deploymentIdOf(c) ?? c.name ?? c.id;
  const name = source
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name || 'pod';
}

/** The manifest document of a kubelet config: a map as is, text parsed as JSON or YAML. */
export function manifestOf(c: DeploymentConfig): unknown {
  if (typeof c.config !== 'string') return c.config;
  try {
    return parseYaml(c.config) as unknown;
  } catch (err) {
    throw new Error(
      `the config of a kubelet deployment must be a pod manifest map: ${(err as Error).message}`,
    );
  }
}

/** The pod `name` for `manifest`, labelled with its server and deployment. @throws PodManifestError */
export function podSpecOf(name: string, manifest: unknown, serverId: string): PodSpec {
  return parsePodManifest(manifest, name, {
    [SERVER_LABEL]: serverId,
    [DEPLOYMENT_LABEL]: name,
  });
}

/** The wait of a deployment for its pod: input `deploy_timeout` (seconds) or the default. */
export function deployTimeoutSeconds(c: DeploymentConfig): number {
  const v = Number(inputValue(c, 'deploy_timeout'));
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_DEPLOY_TIMEOUT_SECONDS;
}
