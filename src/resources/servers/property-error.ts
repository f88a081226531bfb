/** Validation errors of the container server types, in Heat's `Property error: resources.<name>.properties.<p>` form. */
import { HeatError } from '../../template/errors.js';

/** A StackValidationFailed naming the resource, the property and the problem. */
export function propertyError(resourceName: string, property: string, problem: string): HeatError {
  return new HeatError(
    'StackValidationFailed',
    `Property error: resources.${resourceName}.properties.${property}: ${problem}`,
  );
}
