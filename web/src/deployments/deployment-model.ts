/**
 * Software deployments as the dashboard sees them: which resource types are deployments, the deployment record
 * of `GET /software_deployments/{id}`, and the live output the agent streams as resource events
 * (`deployment <id> progress: <line>`, `deployment <id> heartbeat: …`).
 */
import type { StackEvent } from '../api/types.js';

/** Resource types whose physical id is a software deployment's id. */
const DEPLOYMENT_TYPES = new Set(['OS::Heat::SoftwareDeployment', 'OS::Heat::StructuredDeployment']);

/** Resource types that hold one deployment per server in a nested stack. */
const DEPLOYMENT_GROUP_TYPES = new Set([
  'OS::Heat::SoftwareDeploymentGroup',
  'OS::Heat::StructuredDeploymentGroup',
  'OS::Heat::SoftwareDeployments',
  'OS::Heat::StructuredDeployments',
]);

/** Whether a resource of this type is one software deployment. */
export function isDeploymentType(type: string): boolean {
  return DEPLOYMENT_TYPES.has(type);
}

/** Whether a resource of this type is a group of deployments (its members are in its nested stack). */
export function isDeploymentGroupType(type: string): boolean {
  return DEPLOYMENT_GROUP_TYPES.has(type);
}

/** `GET /software_deployments/{id}` → `software_deployment`. */
export interface SoftwareDeployment {
  id: string;
  server_id: string;
  config_id: string | null;
  action: string;
  status: string;
  status_reason: string;
  input_values: Record<string, unknown>;
  output_values: Record<string, unknown> | null;
  creation_time: string | null;
  updated_time?: string | null;
}

/** `GET /software_configs/{id}` → `software_config` (the fields shown). */
export interface SoftwareConfigSummary {
  id: string;
  name: string | null;
  group: string;
}

/** The outputs every deployment has, shown first and apart from the declared ones. */
export const STANDARD_OUTPUTS = ['deploy_stdout', 'deploy_stderr', 'deploy_status_code'] as const;

/** One line a host sent while running a deployment. */
export interface ProgressLine {
  /** The event carrying it (unique, for keys). */
  eventId: string;
  time: string;
  text: string;
}

/** What the agent has streamed for one deployment. */
export interface DeploymentProgress {
  /** Output lines, oldest first. */
  lines: ProgressLine[];
  /** When the host last said it is still running the deployment. */
  lastHeartbeat?: string;
}

const PROGRESS = /^deployment (\S+) (progress|heartbeat): ([\s\S]*)$/;

/** Reads a `deployment <id> progress: <line>` / `… heartbeat: …` event reason (undefined for any other). */
export function parseProgressReason(
  reason: string,
): { deploymentId: string; kind: 'progress' | 'heartbeat'; text: string } | undefined {
  const m = PROGRESS.exec(reason);
  if (!m) return undefined;
  return { deploymentId: m[1]!, kind: m[2] as 'progress' | 'heartbeat', text: m[3]! };
}

/** Whether an event is a deployment's output line or heartbeat (not a change of state). */
export function isProgressEvent(e: StackEvent): boolean {
  return PROGRESS.test(e.resource_status_reason);
}

/** The output lines and last heartbeat of one deployment, from events newest first (as the stack page keeps them). */
export function progressOf(newestFirst: readonly StackEvent[], deploymentId: string): DeploymentProgress {
  const lines: ProgressLine[] = [];
  let lastHeartbeat: string | undefined;
  for (let i = newestFirst.length - 1; i >= 0; i--) {
    const e = newestFirst[i]!;
    const p = parseProgressReason(e.resource_status_reason);
    if (!p || p.deploymentId !== deploymentId) continue;
    if (p.kind === 'heartbeat') lastHeartbeat = e.event_time;
    else lines.push({ eventId: e.id, time: e.event_time, text: p.text });
  }
  return { lines, ...(lastHeartbeat ? { lastHeartbeat } : {}) };
}

/**
 * A key that changes whenever something other than output lines happened in the stack (the newest such event),
 * so views of deployments reload on state changes and not on every line.
 */
export function stateChangeKey(events: readonly StackEvent[]): string {
  return events.find((e) => !isProgressEvent(e))?.id ?? '';
}
