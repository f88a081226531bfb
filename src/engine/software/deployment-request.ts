/**
 * The requests that create and update a software deployment (`POST /software_deployments`,
 * `PUT /software_deployments/{id}`), checked as a whole. Heat stores these fields unchecked; Hearth refuses
 * values of the wrong shape with a precise message per key, and keeps Heat's quirks that clients see (an absent
 * `status_reason` is stored as the text `None`, as Heat's `str(None)`; an update ignores empty values).
 */
import { HeatError, throwIfProblems } from '../../template/errors.js';
import { pyStr } from '../../template/parameters/python.js';
import { describeValue, isMap } from './describe.js';
import { DEPLOYMENT_STATUSES, type DeploymentStatus, type SoftwareDeploymentPatch } from './records.js';

/** Longest server id and action (Hearth's `varchar(255)` columns). */
export const MAX_DEPLOYMENT_FIELD_LENGTH = 255;
/** Longest `stack_user_project_id` (Heat's limit). */
export const MAX_STACK_USER_PROJECT_ID_LENGTH = 64;

/** What a client sends to create a deployment (unchecked). */
export interface SoftwareDeploymentRequest {
  readonly config_id?: unknown;
  readonly server_id?: unknown;
  readonly input_values?: unknown;
  readonly action?: unknown;
  readonly status?: unknown;
  readonly status_reason?: unknown;
  readonly stack_user_project_id?: unknown;
}

/** What a client sends to update a deployment (unchecked). */
export interface SoftwareDeploymentUpdateRequest {
  readonly config_id?: unknown;
  readonly input_values?: unknown;
  readonly output_values?: unknown;
  readonly action?: unknown;
  readonly status?: unknown;
  readonly status_reason?: unknown;
}

/** A checked create request. */
export interface CheckedDeploymentRequest {
  readonly configId: string;
  readonly serverId: string;
  readonly inputValues: Record<string, unknown> | null;
  readonly action: string | null;
  readonly status: DeploymentStatus | null;
  readonly statusReason: string;
  readonly stackUserProjectId: string | null;
}

/**
 * Checks a create request (`config_id` and `server_id` are required).
 * @throws HeatError listing every problem.
 */
export function checkDeploymentRequest(req: SoftwareDeploymentRequest): CheckedDeploymentRequest {
  const problems: HeatError[] = [];
  const configId = requiredId('config_id', req.config_id, problems);
  const serverId = requiredId('server_id', req.server_id, problems);
  const inputValues = optionalMap('input_values', req.input_values, problems);
  const action = optionalAction(req.action, problems);
  const status = optionalStatus(req.status, problems);
  const stackUserProjectId = optionalStackUserProject(req.stack_user_project_id, problems);
  throwIfProblems(problems);
  return {
    configId,
    serverId,
    inputValues,
    action,
    status,
    statusReason: pyStr(req.status_reason ?? null),
    stackUserProjectId,
  };
}

/**
 * Checks an update request. As Heat, absent, null and empty values (`""`, `{}`, `0`, `false`) change nothing.
 * @returns the fields to change (without `updatedAt`); `configId` still has to be checked to exist.
 * @throws HeatError listing every problem.
 */
export function checkDeploymentUpdate(req: SoftwareDeploymentUpdateRequest): SoftwareDeploymentPatch {
  const problems: HeatError[] = [];
  const patch: { -readonly [K in keyof SoftwareDeploymentPatch]: SoftwareDeploymentPatch[K] } = {};
  if (req.config_id !== undefined && req.config_id !== null && req.config_id !== '') {
    patch.configId = requiredId('config_id', req.config_id, problems);
  }
  const inputValues = optionalMap('input_values', req.input_values, problems);
  if (inputValues && Object.keys(inputValues).length > 0) patch.inputValues = inputValues;
  const outputValues = optionalMap('output_values', req.output_values, problems);
  if (outputValues && Object.keys(outputValues).length > 0) patch.outputValues = outputValues;
  const action = optionalAction(req.action, problems);
  if (action) patch.action = action;
  const status = optionalStatus(req.status, problems);
  if (status) patch.status = status;
  if (isTruthy(req.status_reason)) patch.statusReason = pyStr(req.status_reason);
  throwIfProblems(problems);
  return patch;
}

/** Python truthiness of a JSON value. */
function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isMap(value)) return Object.keys(value).length > 0;
  return true;
}

function badShape(key: string, message: string, value: unknown): HeatError {
  return new HeatError('HTTPBadRequest', message, { path: [key], value });
}

/** A required non-empty id string of at most 255 characters. */
function requiredId(key: 'config_id' | 'server_id', value: unknown, problems: HeatError[]): string {
  if (value === undefined || value === null || value === '') {
    problems.push(badShape(key, `The software deployment "${key}" is required.`, value));
    return '';
  }
  if (typeof value !== 'string') {
    problems.push(
      badShape(key, `The software deployment "${key}" must be a string, got ${describeValue(value)}.`, value),
    );
    return '';
  }
  if (value.length > MAX_DEPLOYMENT_FIELD_LENGTH) {
    problems.push(
      badShape(
        key,
        `The software deployment "${key}" must be at most ${MAX_DEPLOYMENT_FIELD_LENGTH} characters, ` +
          `got ${value.length}.`,
        value,
      ),
    );
  }
  return value;
}

/** A map, or null when absent. */
function optionalMap(
  key: 'input_values' | 'output_values',
  value: unknown,
  problems: HeatError[],
): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  if (isMap(value)) return value;
  problems.push(
    badShape(key, `The software deployment "${key}" must be a map, got ${describeValue(value)}.`, value),
  );
  return null;
}

/** The action: any name (Heat's own are CREATE, UPDATE, DELETE, SUSPEND, RESUME), or null. */
function optionalAction(value: unknown, problems: HeatError[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    problems.push(
      badShape(
        'action',
        `The software deployment "action" must be a string, got ${describeValue(value)}.`,
        value,
      ),
    );
    return null;
  }
  if (value.length > MAX_DEPLOYMENT_FIELD_LENGTH) {
    problems.push(
      badShape(
        'action',
        `The software deployment "action" must be at most ${MAX_DEPLOYMENT_FIELD_LENGTH} characters, ` +
          `got ${value.length}.`,
        value,
      ),
    );
  }
  return value;
}

/** One of Heat's three deployment statuses, or null. */
function optionalStatus(value: unknown, problems: HeatError[]): DeploymentStatus | null {
  if (value === undefined || value === null || value === '') return null;
  if (DEPLOYMENT_STATUSES.includes(value as DeploymentStatus)) return value as DeploymentStatus;
  problems.push(
    badShape(
      'status',
      `The software deployment "status" must be one of ${DEPLOYMENT_STATUSES.join(', ')}, ` +
        `got ${describeValue(value)}.`,
      value,
    ),
  );
  return null;
}

/** Heat's check of `stack_user_project_id`: a string of at most 64 characters, or null. */
function optionalStackUserProject(value: unknown, problems: HeatError[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    problems.push(
      badShape(
        'stack_user_project_id',
        `The software deployment "stack_user_project_id" must be a string, got ${describeValue(value)}.`,
        value,
      ),
    );
    return null;
  }
  if (value.length > MAX_STACK_USER_PROJECT_ID_LENGTH) {
    problems.push(
      new HeatError(
        'Invalid',
        'Data supplied was not valid: "stack_user_project_id" should be no more than 64 characters',
        { path: ['stack_user_project_id'], value },
      ),
    );
  }
  return value;
}
