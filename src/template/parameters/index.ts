/**
 * Template parameters: schemas, types and coercions, constraints, custom constraints, parameter groups, values
 * and how parameters are shown.
 */
export {
  type ParameterType,
  PARAMETER_TYPES,
  isParameterType,
  boolFromString,
  coerceByType,
} from './types.js';
export {
  type ParameterConstraint,
  type ConstraintKind,
  CONSTRAINT_VALID_TYPES,
  checkConstraint,
} from './constraints.js';
export {
  type ParameterSchema,
  type ParseParameterSchemasOptions,
  parseParameterSchemas,
  parameterKeys,
  hotVersionDate,
} from './schema.js';
export { validateParameterGroups } from './groups.js';
export {
  type ParameterInput,
  type ResolveParameterOptions,
  type RawParameterValue,
  PSEUDO_PARAMETERS,
  resolveParameterValues,
  rawParameterValue,
  parameterValueProblem,
  coerceParameterValue,
  immutableParametersModified,
} from './values.js';
export {
  type DescribeParameterOptions,
  API_PARAMETER_TYPES,
  describeParameter,
  displayParameterValue,
} from './describe.js';
export {
  COMMON_CUSTOM_CONSTRAINTS,
  SERVICE_CUSTOM_CONSTRAINTS,
  checkCustomConstraint,
  customConstraintHint,
  isKnownCustomConstraint,
} from './custom-constraints.js';
export { parsePythonJson, PythonJsonError } from './json-text.js';
export { pyStr, pyRepr, pyJsonDumps, pyEquals, strToNum, type PyNumber } from './python.js';
