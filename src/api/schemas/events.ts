/**
 * Operations of events (`routes/events.ts`; its `parseEventQuery` is the lists' check, added there).
 */
import { ref } from './components.js';
import { operation } from './operation.js';
import { queryInt, queryText, queryWord, querystring, type JsonSchema } from './primitives.js';

const ONE = '/v1/:tenant/stacks/:stackName/:stackId';

const listQuery = querystring({
  limit: queryInt('At most this many events.'),
  marker: queryText('Id of the last event of the previous page.'),
  sort_dir: queryWord(['asc', 'desc'], 'Sort direction (default desc: newest first).'),
  nested_depth: queryInt('Include events of nested stacks down to this depth (adds root_stack_id).'),
  resource_name: queryText('Filter: resource names (repeatable).'),
  resource_type: queryText('Filter: resource types (repeatable).'),
  resource_action: queryText('Filter: actions, e.g. CREATE (repeatable).'),
  resource_status: queryText('Filter: the status part only, e.g. COMPLETE (repeatable).'),
});

const eventList: JsonSchema = {
  type: 'object',
  description: 'The events',
  properties: { events: { type: 'array', items: ref('Event') } },
  required: ['events'],
};

/** The event operations. */
export const eventOperations = {
  list: operation({
    operationId: 'listStackEvents',
    summary: 'List the events of a stack',
    tag: 'events',
    url: `${ONE}/events`,
    querystring: listQuery,
    responses: { 200: eventList },
  }),
  listForResource: operation({
    operationId: 'listResourceEvents',
    summary: 'List the events of a resource (404 when there are none)',
    tag: 'events',
    url: `${ONE}/resources/:resourceName/events`,
    querystring: listQuery,
    responses: { 200: eventList },
  }),
  show: operation({
    operationId: 'showEvent',
    summary: 'Show an event',
    tag: 'events',
    url: `${ONE}/resources/:resourceName/events/:eventId`,
    responses: {
      200: {
        type: 'object',
        description: 'The event, with resource_type and resource_properties',
        properties: { event: ref('Event') },
        required: ['event'],
      },
    },
  }),
};
