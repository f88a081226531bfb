/**
 * The request bodies of stack create, preview, update and validate (Heat's `InstantiationData`): what each
 * field accepts, as loosely as Heat reads it. The exact checks and Heat's messages are in `request-body.ts`.
 */
import {
  anyValue,
  boolLike,
  intLike,
  openMap,
  orNull,
  stringList,
  tagList,
  type JsonSchema,
} from './primitives.js';

/** Heat's stack name rule, as `STACK_NAME_PATTERN` in `request-body.ts`. */
const STACK_NAME = '^[a-zA-Z][a-zA-Z0-9_.-]{0,254}$';

/** template, template_url, environment, files, environment_files, parameters, files_container. */
const TEMPLATE_INPUTS: Record<string, JsonSchema> = {
  template: orNull({
    description: 'The template: a JSON object, or its YAML/JSON text.',
    anyOf: [{ type: 'object', additionalProperties: true }, { type: 'string' }],
  }),
  template_url: anyValue('Not supported: Hearth does not fetch templates; send "template".'),
  environment: orNull({
    description: 'The environment: an object, or its YAML/JSON text.',
    anyOf: [{ type: 'object', additionalProperties: true }, { type: 'string' }],
  }),
  files: orNull({
    description: 'Files the template and environment refer to: name → content.',
    type: 'object',
    additionalProperties: { type: 'string' },
  }),
  environment_files: orNull(stringList('Names (in "files") of environments to merge, in order.')),
  parameters: orNull(openMap('Parameter values: name → value of any JSON type (Heat converts them).')),
  files_container: anyValue('Not supported: Hearth has no Swift.'),
};

/** timeout_mins, disable_rollback, tags. */
const STACK_OPTIONS: Record<string, JsonSchema> = {
  timeout_mins: orNull(intLike('Minutes before the action times out; 0 or null: the default (60).')),
  disable_rollback: orNull(boolLike('Keep a failed stack as it is instead of rolling back.')),
  tags: orNull(tagList('Tags of the stack.')),
};

/** The body of `POST /stacks` and `POST /stacks/preview`. */
export const createBody: JsonSchema = {
  type: 'object',
  description: 'Unknown keys are ignored, as in Heat.',
  properties: {
    stack_name: {
      type: 'string',
      pattern: STACK_NAME,
      description: 'Starts with a letter; letters, digits, "_", "-", "."; at most 255 characters.',
    },
    ...TEMPLATE_INPUTS,
    ...STACK_OPTIONS,
    adopt_stack_data: orNull({
      description:
        'Adopt an abandoned stack: its abandon data (object or JSON/YAML text) with a "template". Only when ' +
        'the server enables adopt.',
      anyOf: [
        {
          type: 'object',
          properties: { template: { description: 'The template of the abandoned stack' } },
          required: ['template'],
          additionalProperties: true,
        },
        { type: 'string' },
      ],
    }),
  },
  required: ['stack_name'],
  additionalProperties: true,
};

/** The body of `PUT`/`PATCH /stacks/{name}/{id}` and their previews. */
export function updateBody(patch: boolean): JsonSchema {
  return {
    type: patch ? ['object', 'null'] : 'object',
    description: patch
      ? 'Only what changes: the stored template, environment and parameters are kept unless given.'
      : 'The new template and inputs; parameters not given return to their defaults.',
    properties: {
      ...TEMPLATE_INPUTS,
      ...STACK_OPTIONS,
      clear_parameters: orNull(stringList('PATCH: parameters to reset to their defaults.')),
      converge: orNull(boolLike("Observe the resources' real state before updating.")),
    },
    ...(patch ? {} : { required: ['template'] }),
    additionalProperties: true,
  };
}

/** The body of `POST /validate`. */
export const validateBody: JsonSchema = {
  type: 'object',
  properties: TEMPLATE_INPUTS,
  required: ['template'],
  additionalProperties: true,
};
