/**
 * What a deployment signal (the outputs a host sends back when it has applied a config) does to the deployment,
 * exactly as Heat's `signal_software_deployment`:
 *
 * - only a deployment IN_PROGRESS takes a signal (otherwise nothing changes);
 * - a `deploy_status_code` other than 0 fails it (`Deployment exited with non-zero status code: N`);
 * - each declared output present in the signal is stored; one declared `error_output: true` fails it;
 * - `deploy_stdout`, `deploy_stderr` and `deploy_status_code` are always stored (null when absent);
 * - otherwise it is COMPLETE with `Outputs received`.
 */
import { pyStr } from '../../template/parameters/python.js';
import {
  DEPLOYMENT_STANDARD_OUTPUTS,
  type SoftwareConfigRecord,
  type SoftwareDeploymentPatch,
  type SoftwareDeploymentRecord,
} from './records.js';

/** The change a signal makes, and the sentence Heat records as the event reason. */
export interface SignalOutcome {
  readonly patch: SoftwareDeploymentPatch;
  readonly eventReason: string;
}

/** Python truthiness of a scalar signal value. */
function isTruthy(value: unknown): boolean {
  return !(value === undefined || value === null || value === false || value === 0 || value === '');
}

/**
 * The outcome of signal `details` for `deployment` (whose config is `config`), or undefined when the deployment is
 * not IN_PROGRESS (Heat ignores such signals).
 */
export function signalOutcome(
  deployment: SoftwareDeploymentRecord,
  config: SoftwareConfigRecord,
  details: Record<string, unknown>,
): SignalOutcome | undefined {
  if (deployment.status !== 'IN_PROGRESS') return undefined;
  const outputValues: Record<string, unknown> = { ...(deployment.outputValues ?? {}) };
  const reasons = new Map<string, string>();
  let failed = false;
  const statusCode = details['deploy_status_code'];
  let eventReason = `deployment ${deployment.id} succeeded`;
  if (isTruthy(statusCode) && pyStr(statusCode) !== '0') {
    failed = true;
    reasons.set('deploy_status_code', `Deployment exited with non-zero status code: ${pyStr(statusCode)}`);
    eventReason = `deployment ${deployment.id} failed (${pyStr(statusCode)})`;
  }
  for (const output of config.outputs) {
    if (!Object.hasOwn(details, output.name)) continue;
    outputValues[output.name] = details[output.name];
    if (output.error_output) {
      failed = true;
      reasons.set(output.name, pyStr(details[output.name]));
      eventReason = `deployment ${deployment.id} failed`;
    }
  }
  for (const key of DEPLOYMENT_STANDARD_OUTPUTS) outputValues[key] = details[key] ?? null;
  const statusReason = failed
    ? [...reasons].map(([key, reason]) => `${key} : ${reason}`).join(', ')
    : 'Outputs received';
  return {
    patch: { outputValues, status: failed ? 'FAILED' : 'COMPLETE', statusReason },
    eventReason,
  };
}
