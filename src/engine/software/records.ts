/**
 * The software configuration domain (Heat's `software_config` and `software_deployment` rows): what a config and a
 * deployment are, and the constants Heat gives them.
 *
 * A config is immutable once stored (a change is a new config); a deployment is mutable (its status, outputs,
 * inputs and even its config move as the deployment progresses).
 */

/** Heat's software config input/output types (`heat.engine.software_config_io.TYPES`). */
export const SOFTWARE_IO_TYPES = ['String', 'Number', 'CommaDelimitedList', 'Json', 'Boolean'] as const;
/** One of {@link SOFTWARE_IO_TYPES}. */
export type SoftwareIoType = (typeof SOFTWARE_IO_TYPES)[number];

/** The group of a config that names no tool (consumed as user_data, or by os-apply-config). */
export const DEFAULT_CONFIG_GROUP = 'Heat::Ungrouped';

/** Heat's deployment statuses (`rpc_api.SOFTWARE_DEPLOYMENT_STATUSES`). */
export const DEPLOYMENT_STATUSES = ['IN_PROGRESS', 'COMPLETE', 'FAILED'] as const;
/** One of {@link DEPLOYMENT_STATUSES}. */
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** Outputs every signal stores, declared or not (`rpc_api.SOFTWARE_DEPLOYMENT_OUTPUTS`). */
export const DEPLOYMENT_STANDARD_OUTPUTS = ['deploy_stdout', 'deploy_stderr', 'deploy_status_code'] as const;

/**
 * A declared input as stored (Heat's `InputConfig.as_dict()`): `replace_on_change` only when true, `value` only
 * when one was given (derived configs carry the deployment's values here).
 */
export interface SoftwareInput {
  readonly name: string;
  readonly description?: string;
  readonly type: SoftwareIoType;
  readonly default?: unknown;
  readonly replace_on_change?: true;
  readonly value?: unknown;
}

/** A declared output as stored (Heat's `OutputConfig.as_dict()`). */
export interface SoftwareOutput {
  readonly name: string;
  readonly description?: string;
  readonly type: SoftwareIoType;
  readonly error_output: boolean;
}

/** A stored software config. */
export interface SoftwareConfigRecord {
  readonly id: string;
  /** The project that created it; only that project sees it. */
  readonly projectId: string;
  readonly name: string | null;
  readonly group: string;
  /** The configuration itself: script text, or a map (StructuredConfig, SoftwareComponent), or null. */
  readonly config: string | Record<string, unknown> | null;
  readonly inputs: readonly SoftwareInput[];
  readonly outputs: readonly SoftwareOutput[];
  readonly options: Record<string, unknown> | null;
  /** ISO 8601. */
  readonly createdAt: string;
}

/** A stored software deployment. */
export interface SoftwareDeploymentRecord {
  readonly id: string;
  /** The project that created it. */
  readonly projectId: string;
  readonly configId: string;
  readonly serverId: string;
  readonly inputValues: Record<string, unknown> | null;
  readonly outputValues: Record<string, unknown> | null;
  /** CREATE, UPDATE, DELETE, SUSPEND, RESUME, or a custom action name. */
  readonly action: string | null;
  readonly status: DeploymentStatus | null;
  readonly statusReason: string | null;
  /** ISO 8601. */
  readonly createdAt: string;
  /** ISO 8601, null until the first update. */
  readonly updatedAt: string | null;
  /** The stack domain project of the server's credentials: that project also sees the deployment. */
  readonly stackUserProjectId: string | null;
}

/** The fields of a deployment an update may change. */
export type SoftwareDeploymentPatch = Partial<
  Pick<
    SoftwareDeploymentRecord,
    'configId' | 'inputValues' | 'outputValues' | 'action' | 'status' | 'statusReason' | 'updatedAt'
  >
>;
