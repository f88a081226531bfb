/**
 * Software config and deployment bodies as Heat's `format_software_config` / `format_software_deployment` render
 * them (same keys, same order; times as Heat's `isotime`).
 */
import type { SoftwareConfigRecord, SoftwareDeploymentRecord } from '../../engine/software/records.js';
import { heatTime } from '../links.js';

/** Options of {@link formatSoftwareConfig}. */
export interface ConfigViewOptions {
  /** Include `config`, `inputs`, `outputs`, `options` (show, create, metadata) or not (list). @default true */
  readonly detail?: boolean;
  /** Include `project` (Heat shows it to admins in lists). @default false */
  readonly includeProject?: boolean;
}

/** `{id, name, group, creation_time[, config, inputs, outputs, options][, project]}`. */
export function formatSoftwareConfig(
  c: SoftwareConfigRecord,
  options: ConfigViewOptions = {},
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: c.id,
    name: c.name,
    group: c.group,
    creation_time: heatTime(c.createdAt),
  };
  if (options.detail ?? true) {
    body.config = c.config;
    body.inputs = c.inputs;
    body.outputs = c.outputs;
    body.options = c.options;
  }
  if (options.includeProject) body.project = c.projectId;
  return body;
}

/**
 * `{id, server_id, input_values, output_values, action, status, status_reason, config_id, creation_time
 * [, updated_time]}`: `updated_time` only once the deployment has been updated, as in Heat.
 */
export function formatSoftwareDeployment(d: SoftwareDeploymentRecord): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: d.id,
    server_id: d.serverId,
    input_values: d.inputValues,
    output_values: d.outputValues,
    action: d.action,
    status: d.status,
    status_reason: d.statusReason,
    config_id: d.configId,
    creation_time: heatTime(d.createdAt),
  };
  if (d.updatedAt) body.updated_time = heatTime(d.updatedAt);
  return body;
}
