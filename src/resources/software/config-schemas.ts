/**
 * Property schemas shared by the software config resource types (Heat's `SoftwareConfig.properties_schema` and
 * `software_config_io`'s input/output schemas).
 */
import type { PropertySchema } from '../../engine/plugin.js';
import { SOFTWARE_IO_TYPES } from '../../engine/software/records.js';

const IO_TYPE: PropertySchema = {
  type: 'string',
  description: 'Type of the value of the input.',
  default: 'String',
  constraints: [{ kind: 'allowed_values', values: SOFTWARE_IO_TYPES }],
};

/** `group`. */
export const GROUP_PROPERTY: PropertySchema = {
  type: 'string',
  description:
    'Namespace to group this software config by when delivered to a server. This may imply what configuration ' +
    'tool is going to perform the configuration.',
  default: 'Heat::Ungrouped',
};

/** `options`. */
export const OPTIONS_PROPERTY: PropertySchema = {
  type: 'map',
  description: 'Map containing options specific to the configuration management tool used by this resource.',
};

/** `inputs`. */
export const INPUTS_PROPERTY: PropertySchema = {
  type: 'list',
  description: 'Schema representing the inputs that this software config is expecting.',
  items: {
    type: 'map',
    schema: {
      name: { type: 'string', description: 'Name of the input.', required: true },
      description: { type: 'string', description: 'Description of the input.' },
      type: IO_TYPE,
      default: { type: 'any', description: 'Default value for the input if none is specified.' },
      replace_on_change: {
        type: 'boolean',
        description: 'Replace the deployment instead of updating it when the input value changes.',
        default: false,
      },
    },
  },
};

/** `outputs`. */
export const OUTPUTS_PROPERTY: PropertySchema = {
  type: 'list',
  description: 'Schema representing the outputs that this software config will produce.',
  items: {
    type: 'map',
    schema: {
      name: { type: 'string', description: 'Name of the output.', required: true },
      description: { type: 'string', description: 'Description of the output.' },
      type: { ...IO_TYPE, description: 'Type of the value of the output.' },
      error_output: {
        type: 'boolean',
        description: 'Denotes that the deployment is in an error state if this output has a value.',
        default: false,
      },
    },
  },
};

/** Drops null entries from the maps of an `inputs`/`outputs` list (absent optional keys). */
export function compactItems(list: unknown): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).filter(([, v]) => v !== null && v !== undefined))
      : item,
  );
}
