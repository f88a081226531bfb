/**
 * Declared inputs and outputs of a software config, checked and normalised exactly as Heat's
 * `heat.engine.software_config_io` does (`InputConfig`/`OutputConfig` over `Properties`, then `as_dict()`):
 * unknown keys and a missing `name` are refused, `type` must be one of Heat's five, booleans and strings are coerced
 * as resource properties are, a typed `default` is coerced to its type, absent values are dropped.
 *
 * Heat reports the first problem as a `ValueError` (`Property error: type: "Foo" is not an allowed value …`); Hearth
 * reports every problem, each with its place (`inputs[1].type`).
 */
import { HeatError, formatPath, type PathSegment } from '../../template/errors.js';
import { pyStr } from '../../template/parameters/python.js';
import type { PropertySchema } from '../plugin.js';
import { validateProperties, type ConvertiblePropertySchema } from '../properties.js';
import { describeValue, isMap } from './describe.js';
import {
  SOFTWARE_IO_TYPES,
  type SoftwareInput,
  type SoftwareIoType,
  type SoftwareOutput,
} from './records.js';

/** Which list is checked: the body key it came from. */
export type IoListKey = 'inputs' | 'outputs';

const TYPE_SCHEMA: PropertySchema = {
  type: 'string',
  default: 'String',
  constraints: [{ kind: 'allowed_values', values: SOFTWARE_IO_TYPES }],
};

/** Heat's `input_config_schema`. */
const INPUT_SCHEMA: Readonly<Record<string, PropertySchema>> = {
  name: { type: 'string', required: true },
  description: { type: 'string' },
  type: TYPE_SCHEMA,
  default: { type: 'any' },
  replace_on_change: { type: 'boolean', default: false },
};

/** Heat's `output_config_schema`. */
const OUTPUT_SCHEMA: Readonly<Record<string, PropertySchema>> = {
  name: { type: 'string', required: true },
  description: { type: 'string' },
  type: TYPE_SCHEMA,
  error_output: { type: 'boolean', default: false },
};

/** The schema of a typed `default` (Heat's `properties.Schema.from_parameter` of a parameter of that type). */
const DEFAULT_SCHEMA_BY_TYPE: Readonly<Record<SoftwareIoType, ConvertiblePropertySchema>> = {
  String: { type: 'string' },
  Number: { type: 'number' },
  CommaDelimitedList: { type: 'list', allowConversion: true },
  Json: { type: 'map', allowConversion: true },
  Boolean: { type: 'boolean' },
};

/**
 * Checks and normalises the `inputs` of a config (absent or null: none).
 * @returns the inputs as stored, and every problem found (empty when valid).
 */
export function checkInputs(raw: unknown): { inputs: SoftwareInput[]; problems: HeatError[] } {
  const problems: HeatError[] = [];
  const inputs = ioItems('inputs', raw, problems).flatMap(([index, item]) => {
    const { value: givenValue, ...config } = item;
    const schema = inputSchema(config, index, problems);
    if (!schema) return [];
    const checked = checkItem(schema, config, ['inputs', index], problems);
    if (!checked) return [];
    if (checked['replace_on_change'] !== true) delete checked['replace_on_change'];
    if (Object.hasOwn(item, 'value')) checked['value'] = givenValue ?? null;
    return [checked as unknown as SoftwareInput];
  });
  return { inputs, problems };
}

/**
 * Checks and normalises the `outputs` of a config (absent or null: none).
 * @returns the outputs as stored, and every problem found (empty when valid).
 */
export function checkOutputs(raw: unknown): { outputs: SoftwareOutput[]; problems: HeatError[] } {
  const problems: HeatError[] = [];
  const outputs = ioItems('outputs', raw, problems).flatMap(([index, item]) => {
    const checked = checkItem(OUTPUT_SCHEMA, item, ['outputs', index], problems);
    return checked ? [checked as unknown as SoftwareOutput] : [];
  });
  return { outputs, problems };
}

/** Heat's `check_io_schema_list`: a list of maps. Returns the maps with their indices. */
function ioItems(key: IoListKey, raw: unknown, problems: HeatError[]): [number, Record<string, unknown>][] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push(
      new HeatError(
        'ValueError',
        `Software Config I/O Schema must be in a list: "${key}" must be a list of maps, got ${describeValue(raw)}.`,
        { path: [key], value: raw },
      ),
    );
    return [];
  }
  const items: [number, Record<string, unknown>][] = [];
  raw.forEach((item: unknown, index) => {
    if (isMap(item)) items.push([index, item]);
    else
      problems.push(
        new HeatError(
          'ValueError',
          `Software Config I/O Schema must be a dict: ${key}[${index}] must be a map, got ${describeValue(item)}.`,
          { path: [key, index], value: item },
        ),
      );
  });
  return items;
}

/**
 * The schema of one input: Heat types the `default` by the input's `type` when both are given (except the legacy
 * empty-string default of a non-String input). An unknown type with a default is Heat's `InvalidSchemaError`.
 */
function inputSchema(
  config: Record<string, unknown>,
  index: number,
  problems: HeatError[],
): Readonly<Record<string, PropertySchema>> | undefined {
  if (!Object.hasOwn(config, 'type') || !Object.hasOwn(config, 'default')) return INPUT_SCHEMA;
  const type = config['type'];
  if (config['default'] === '' && type !== 'String') return INPUT_SCHEMA;
  if (!SOFTWARE_IO_TYPES.includes(type as SoftwareIoType)) {
    problems.push(
      new HeatError('InvalidSchemaError', `Invalid type (${pyStr(type)})`, {
        path: ['inputs', index, 'type'],
        hint: `use one of ${SOFTWARE_IO_TYPES.join(', ')}`,
      }),
    );
    return undefined;
  }
  return { ...INPUT_SCHEMA, default: DEFAULT_SCHEMA_BY_TYPE[type as SoftwareIoType] };
}

/**
 * One input or output through Heat's `Properties.validate()`; problems carry Heat's `Property error: …` message
 * and Hearth's full path. Returns the normalised map (absent values dropped), or undefined when invalid.
 */
function checkItem(
  schema: Readonly<Record<string, PropertySchema>>,
  item: Record<string, unknown>,
  at: PathSegment[],
  problems: HeatError[],
): Record<string, unknown> | undefined {
  const result = validateProperties(schema, item, { resourceName: '', validating: false });
  for (const p of result.problems) {
    const relative = (p.path ?? []).slice(3);
    const where = relative.length > 0 ? `${formatPath(relative)}: ` : '';
    problems.push(
      new HeatError('ValueError', `Property error: ${where}${p.message}`, { path: [...at, ...relative] }),
    );
  }
  if (result.problems.length > 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(result.properties)) {
    if (value !== null && value !== undefined) out[key] = value;
  }
  return out;
}
