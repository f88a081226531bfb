/**
 * The errors of the software config service, with Heat's types and messages.
 */
import { HeatError } from '../../template/errors.js';

/** Heat's 404 for a config that does not exist or belongs to another project. */
export function configNotFound(id: string): HeatError {
  return new HeatError('NotFound', `Software config with id ${id} not found`);
}

/** Heat's 404 for a deployment that does not exist or is not visible to the project. */
export function deploymentNotFound(id: string): HeatError {
  return new HeatError('NotFound', `Deployment with id ${id} not found`);
}

/**
 * Heat's refusal to delete a config a deployment uses (Heat 19 answers it as a 500 because its fault map lacks
 * `InvalidRestrictedAction`; Hearth answers 400).
 */
export function configReferenced(id: string): HeatError {
  return new HeatError(
    'InvalidRestrictedAction',
    `Software config with id ${id} can not be deleted as it is referenced.`,
  );
}

/** Heat's answer for a deployment naming a config that does not exist (or that the project cannot see). */
export function deploymentConfigMissing(id: string): HeatError {
  return new HeatError('Invalid', `Data supplied was not valid: Config with id ${id} not found`, {
    path: ['config_id'],
    value: id,
  });
}

/** Heat's `max_software_configs_per_tenant` refusal. */
export function tooManyConfigs(limit: number): HeatError {
  return new HeatError(
    'RequestLimitExceeded',
    `Request limit exceeded: You have reached the maximum software configs per tenant, ${limit}. ` +
      'Please delete some configs.',
  );
}

/** Heat's `max_software_deployments_per_tenant` refusal. */
export function tooManyDeployments(limit: number): HeatError {
  return new HeatError(
    'RequestLimitExceeded',
    `Request limit exceeded: You have reached the maximum software deployments per tenant, ${limit}. ` +
      'Please delete some deployments.',
  );
}
