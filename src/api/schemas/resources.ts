/**
 * Operations on the resources of a stack (`routes/resources.ts`; the list's own check, `resourceFilter` and
 * friends, is added there).
 */
import { bodyObject } from '../request-body.js';
import { ref } from './components.js';
import { operation } from './operation.js';
import { anyValue, queryBool, queryInt, queryText, querystring } from './primitives.js';

const BASE = '/v1/:tenant/stacks/:stackName/:stackId/resources';

/** The resource operations. */
export const resourceOperations = {
  list: operation({
    operationId: 'listResources',
    summary: 'List resources',
    description: 'Query keys other than these are refused (400 "Invalid filter parameters"), as in Heat.',
    tag: 'resources',
    url: BASE,
    querystring: querystring({
      nested_depth: queryInt('Also list resources of nested stacks down to this depth.'),
      with_detail: queryBool('Add description and attributes.'),
      type: queryText('Filter: resource types (repeatable).'),
      status: queryText('Filter: statuses, COMPLETE or CREATE_COMPLETE style (repeatable).'),
      name: queryText('Filter: resource names (repeatable).'),
      action: queryText('Filter: actions (repeatable).'),
      id: queryText('Filter: resource ids (repeatable).'),
      physical_resource_id: queryText('Filter: physical ids (repeatable).'),
    }),
    responses: {
      200: {
        type: 'object',
        description: 'The resources',
        properties: { resources: { type: 'array', items: ref('Resource') } },
        required: ['resources'],
      },
    },
  }),
  show: operation({
    operationId: 'showResource',
    summary: 'Show a resource with its attributes',
    tag: 'resources',
    url: `${BASE}/:resourceName`,
    querystring: querystring({ with_attr: queryText('Also resolve these attributes (repeatable).') }),
    responses: {
      200: {
        type: 'object',
        description: 'The resource',
        properties: { resource: ref('Resource') },
        required: ['resource'],
      },
    },
  }),
  markUnhealthy: operation({
    operationId: 'markResourceUnhealthy',
    summary: 'Mark a resource unhealthy (CHECK_FAILED) or healthy again',
    tag: 'resources',
    url: `${BASE}/:resourceName`,
    body: {
      type: ['object', 'null'],
      description:
        "Keys: mark_unhealthy (required) and resource_status_reason; any other key is refused, with Heat's " +
        'messages.',
      properties: {
        mark_unhealthy: anyValue('true or false: a boolean, or a string in any case.'),
        resource_status_reason: anyValue('Why (text; other values are stored as JSON).'),
      },
      additionalProperties: true,
      examples: [{ mark_unhealthy: true, resource_status_reason: 'disk lost' }],
    },
    check: (req) => void bodyObject(req.body),
    responses: { 200: { type: 'null', description: 'Done (body: null)' } },
  }),
  metadata: operation({
    operationId: 'showResourceMetadata',
    summary: 'The metadata of a resource',
    tag: 'resources',
    url: `${BASE}/:resourceName/metadata`,
    responses: {
      200: {
        type: 'object',
        description: 'The metadata',
        properties: { metadata: { type: 'object', additionalProperties: true } },
        required: ['metadata'],
      },
    },
  }),
  signal: operation({
    operationId: 'signalResource',
    summary: 'Signal a resource',
    description: 'Any JSON body, or none. {"unset_hook": "pre-create"} clears a hook.',
    tag: 'resources',
    url: `${BASE}/:resourceName/signal`,
    body: anyValue('The signal details: any JSON value.'),
    responses: { 200: { type: 'null', description: 'Delivered (body: null)' } },
  }),
};
