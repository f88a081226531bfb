/**
 * Response bodies shared by several operations, registered once with `app.addSchema` and referenced as
 * `{$ref: 'Name#'}`; the OpenAPI document lists them under `components.schemas` by the same name. They
 * document Heat's shapes; responses are not validated or filtered by them (see `openapi.ts`).
 */
import type { FastifyInstance } from 'fastify';
import type { JsonSchema } from './primitives.js';

/** Names of the shared schemas. */
export type ComponentName =
  | 'Link'
  | 'Problem'
  | 'Fault'
  | 'WebobMessage'
  | 'Versions'
  | 'StackSummary'
  | 'Stack'
  | 'Output'
  | 'Resource'
  | 'Event'
  | 'Snapshot'
  | 'ResourceChange'
  | 'PropertyChange'
  | 'AbandonData'
  | 'SoftwareConfig'
  | 'SoftwareDeployment'
  | 'KeystoneError';

/** A reference to a shared schema. */
export function ref(id: ComponentName, description?: string): JsonSchema {
  return description === undefined ? { $ref: `${id}#` } : { $ref: `${id}#`, description };
}

const text: JsonSchema = { type: 'string' };
const nullableText: JsonSchema = { type: ['string', 'null'] };
/** Heat's `YYYY-MM-DDTHH:MM:SSZ`, or null when unset. */
const time: JsonSchema = { type: ['string', 'null'], description: 'UTC time, YYYY-MM-DDTHH:MM:SSZ' };
const links: JsonSchema = { type: 'array', items: ref('Link') };
const map: JsonSchema = { type: 'object', additionalProperties: true };

/** An object with these properties, all required unless listed in `optional`. */
function object(properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema {
  return {
    type: 'object',
    properties,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    additionalProperties: true,
  };
}

const COMPONENTS: Record<ComponentName, JsonSchema> = {
  Link: object({ href: { type: 'string', format: 'uri' }, rel: text }),
  Problem: {
    ...object(
      {
        type: text,
        message: text,
        path: { type: 'string', description: 'Dotted path of the field or template part' },
        file: text,
        line: { type: 'integer' },
        column: { type: 'integer' },
        hint: text,
      },
      ['path', 'file', 'line', 'column', 'hint'],
    ),
    description: 'One problem of a fault (Hearth addition)',
  },
  Fault: {
    ...object({
      code: { type: 'integer' },
      title: text,
      explanation: text,
      error: object(
        {
          type: { type: 'string', description: 'Heat exception name, e.g. HTTPBadRequest, EntityNotFound' },
          message: text,
          traceback: { type: 'null' },
          problems: {
            type: 'array',
            items: ref('Problem'),
            description: 'Present when there is more to say than the message',
          },
        },
        ['problems'],
      ),
    }),
    description: "Heat's fault body",
  },
  WebobMessage: {
    ...object({ message: text, code: { type: 'string', examples: ['202 Accepted'] }, title: text }),
    description: 'A plain status answer (202 Accepted, 302 Found)',
  },
  Versions: object({
    versions: {
      type: 'array',
      items: object({ id: text, status: text, links }),
    },
  }),
  StackSummary: object({
    id: text,
    links,
    project: text,
    stack_name: text,
    description: text,
    stack_status: { type: 'string', examples: ['CREATE_COMPLETE'] },
    stack_status_reason: text,
    creation_time: time,
    updated_time: time,
    deletion_time: time,
    stack_owner: nullableText,
    parent: nullableText,
    stack_user_project_id: text,
    tags: { type: ['array', 'null'], items: text, description: 'null when untagged' },
  }),
  Stack: object(
    {
      stack_name: text,
      id: text,
      links,
      creation_time: time,
      updated_time: time,
      deletion_time: time,
      notification_topics: { type: 'array' },
      parameters: {
        type: 'object',
        additionalProperties: true,
        description: 'Parameter values (with OS::…)',
      },
      description: text,
      template_description: text,
      capabilities: { type: 'array' },
      disable_rollback: { type: 'boolean' },
      timeout_mins: { type: ['integer', 'null'] },
      stack_owner: nullableText,
      parent: nullableText,
      stack_user_project_id: text,
      tags: { type: 'array', items: text },
      stack_status: text,
      stack_status_reason: text,
      outputs: { type: 'array', items: ref('Output') },
      resources: { type: 'array', description: 'Create preview only: the resources as they would be' },
    },
    ['outputs', 'resources'],
  ),
  Output: object(
    {
      output_key: text,
      description: text,
      output_value: { description: 'Any JSON value; null when it could not be resolved' },
      output_error: text,
    },
    ['output_value', 'output_error'],
  ),
  Resource: object(
    {
      resource_name: text,
      logical_resource_id: text,
      physical_resource_id: text,
      resource_status: text,
      resource_status_reason: text,
      resource_type: text,
      creation_time: time,
      updated_time: time,
      links,
      required_by: { type: 'array', items: text },
      parent_resource: text,
      description: text,
      attributes: map,
    },
    ['parent_resource', 'description', 'attributes'],
  ),
  Event: object(
    {
      id: text,
      links,
      event_time: time,
      logical_resource_id: text,
      resource_name: text,
      physical_resource_id: text,
      resource_status: text,
      resource_status_reason: nullableText,
      resource_type: text,
      resource_properties: map,
      root_stack_id: text,
    },
    ['resource_type', 'resource_properties', 'root_stack_id'],
  ),
  Snapshot: object({
    id: text,
    name: nullableText,
    status: { type: 'string', enum: ['IN_PROGRESS', 'COMPLETE', 'FAILED'] },
    status_reason: nullableText,
    data: { type: ['object', 'null'], additionalProperties: true, description: 'null while in progress' },
    creation_time: time,
  }),
  ResourceChange: object(
    {
      resource_name: text,
      resource_type: text,
      resource_action: text,
      resource_status: text,
      resource_status_reason: text,
      physical_resource_id: text,
      stack_name: text,
      required_by: { type: 'array', items: text },
      resource_identity: {},
      stack_identity: {},
    },
    ['resource_identity', 'stack_identity'],
  ),
  PropertyChange: {
    ...object(
      {
        resource: text,
        action: { type: 'string', enum: ['added', 'deleted', 'replaced', 'updated', 'unchanged'] },
        stack: { type: 'string', description: 'Dotted path of the (nested) stack; empty for the root' },
        properties: {
          type: 'array',
          items: object({
            name: text,
            old: {},
            new: {},
            updateAllowed: { type: 'boolean' },
            immutable: { type: 'boolean' },
          }),
        },
        reason: text,
      },
      ['reason'],
    ),
    description: "Hearth's property-level diff of one resource",
  },
  AbandonData: {
    ...map,
    description:
      "Heat's abandon data: {name, id, action, status, template, environment, files, resources, project_id, " +
      'stack_user_project_id, tags}',
  },
  SoftwareConfig: {
    ...object(
      {
        id: text,
        name: nullableText,
        group: text,
        creation_time: time,
        config: {
          type: ['string', 'object', 'null'],
          description: 'Script or document, or a structured config',
        },
        inputs: { type: 'array', items: map },
        outputs: { type: 'array', items: map },
        options: { type: ['object', 'null'], additionalProperties: true },
        project: { type: 'string', description: 'Admins only, in lists' },
      },
      ['config', 'inputs', 'outputs', 'options', 'project'],
    ),
    description: "Heat's software config (lists show only id, name, group, creation_time)",
  },
  SoftwareDeployment: object(
    {
      id: text,
      server_id: text,
      input_values: { type: ['object', 'null'], additionalProperties: true },
      output_values: { type: ['object', 'null'], additionalProperties: true },
      action: nullableText,
      status: nullableText,
      status_reason: nullableText,
      config_id: text,
      creation_time: time,
      updated_time: time,
    },
    ['updated_time'],
  ),
  KeystoneError: {
    ...object({ error: object({ code: { type: 'integer' }, title: text, message: text }) }),
    description: "Keystone's error body (every /v3 failure)",
  },
};

/** Registers every shared schema (before the routes that use them). */
export function registerComponents(app: FastifyInstance): void {
  for (const [id, schema] of Object.entries(COMPONENTS)) app.addSchema({ $id: id, title: id, ...schema });
}
