/**
 * The request that creates a software config (`POST /software_configs`, and later the config resources), checked
 * as a whole: Heat's own checks of `inputs`/`outputs` (see `io-schema.ts`) plus Hearth's shape checks of `name`,
 * `group`, `config` and `options`, which Heat stores unchecked. Every problem is reported, each with its key.
 */
import { HeatError, throwIfProblems } from '../../template/errors.js';
import { describeValue, isMap } from './describe.js';
import { checkInputs, checkOutputs } from './io-schema.js';
import {
  DEFAULT_CONFIG_GROUP,
  type SoftwareConfigRecord,
  type SoftwareInput,
  type SoftwareOutput,
} from './records.js';

/** Longest name and group (Heat's `String(255)` columns). */
export const MAX_CONFIG_NAME_LENGTH = 255;

/** What a client sends to create a config (unchecked: any JSON value per key). */
export interface SoftwareConfigRequest {
  readonly name?: unknown;
  readonly group?: unknown;
  readonly config?: unknown;
  readonly inputs?: unknown;
  readonly outputs?: unknown;
  readonly options?: unknown;
}

/** A checked create request: the fields of the config to store. */
export interface CheckedConfigRequest {
  readonly name: string | null;
  readonly group: string;
  readonly config: SoftwareConfigRecord['config'];
  readonly inputs: SoftwareInput[];
  readonly outputs: SoftwareOutput[];
  readonly options: Record<string, unknown> | null;
}

/**
 * Checks a create request.
 * @throws HeatError (a ValidationFailure when several problems) listing every problem.
 */
export function checkConfigRequest(req: SoftwareConfigRequest): CheckedConfigRequest {
  const problems: HeatError[] = [];
  const name = optionalText('name', req.name, problems);
  const group = optionalText('group', req.group, problems) ?? DEFAULT_CONFIG_GROUP;
  const config = configValue(req.config, problems);
  const options = optionsValue(req.options, problems);
  const inputs = checkInputs(req.inputs);
  const outputs = checkOutputs(req.outputs);
  problems.push(...inputs.problems, ...outputs.problems);
  throwIfProblems(problems);
  return { name, group, config, inputs: inputs.inputs, outputs: outputs.outputs, options };
}

function badShape(key: string, message: string, value: unknown): HeatError {
  return new HeatError('HTTPBadRequest', message, { path: [key], value });
}

/** A string of at most 255 characters, or null when absent. */
function optionalText(key: 'name' | 'group', value: unknown, problems: HeatError[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    problems.push(
      badShape(key, `The software config "${key}" must be a string, got ${describeValue(value)}.`, value),
    );
    return null;
  }
  if (value.length > MAX_CONFIG_NAME_LENGTH) {
    problems.push(
      badShape(
        key,
        `The software config "${key}" must be at most ${MAX_CONFIG_NAME_LENGTH} characters, got ${value.length}.`,
        value,
      ),
    );
  }
  return value;
}

/** The configuration: text, a map (structured configs), or null. */
function configValue(value: unknown, problems: HeatError[]): SoftwareConfigRecord['config'] {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || isMap(value)) return value;
  problems.push(
    badShape(
      'config',
      `The software config "config" must be a string (a script or document) or a map (a structured ` +
        `config), got ${describeValue(value)}.`,
      value,
    ),
  );
  return null;
}

/** Options for the config's tool: a map, or null. */
function optionsValue(value: unknown, problems: HeatError[]): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  if (isMap(value)) return value;
  problems.push(
    badShape('options', `The software config "options" must be a map, got ${describeValue(value)}.`, value),
  );
  return null;
}
