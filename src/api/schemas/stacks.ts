/**
 * Operations of the stack collection and of one stack (`routes/stacks.ts`).
 */
import { query } from '../context.js';
import { boolParam } from '../params.js';
import { parseCreateBody, parseUpdateBody } from '../request-body.js';
import { parseStackListQuery } from '../stack-list-query.js';
import { ref } from './components.js';
import { noContent, operation } from './operation.js';
import { queryBool, queryInt, queryText, queryWord, querystring, type JsonSchema } from './primitives.js';
import { createBody, updateBody } from './stack-inputs.js';

const BASE = '/v1/:tenant/stacks';
const ONE = `${BASE}/:stackName/:stackId`;

const accepted: JsonSchema = {
  ...ref('WebobMessage'),
  description: 'Accepted: the action runs in the background',
};
const stackBody = (description: string): JsonSchema => ({
  type: 'object',
  description,
  properties: { stack: ref('Stack') },
  required: ['stack'],
});

/** `GET /stacks` query (Heat's `StackController._index` whitelist). */
const listQuery = querystring({
  id: queryText('Filter: stack ids (repeat or comma-separate).'),
  name: queryText('Filter: stack names (repeatable).'),
  stack_name: queryText('Alias of name.'),
  status: queryText('Filter: COMPLETE or CREATE_COMPLETE style statuses (repeat or comma-separate).'),
  stack_status: queryText('Alias of status.'),
  action: queryText('Filter: actions, e.g. CREATE (repeat or comma-separate).'),
  stack_action: queryText('Alias of action.'),
  username: queryText('Filter: owners (repeat or comma-separate).'),
  stack_owner: queryText('Alias of username.'),
  owner_id: queryText('Filter: parent stack ids.'),
  parent: queryText('Alias of owner_id.'),
  tenant: queryText('Filter (with global_tenant): project ids.'),
  project: queryText('Alias of tenant.'),
  tags: queryText('Stacks having all these comma-separated tags.'),
  tags_any: queryText('Stacks having any of these tags.'),
  not_tags: queryText('Stacks not having all of these tags.'),
  not_tags_any: queryText('Stacks having none of these tags.'),
  sort_keys: queryText('stack_name, stack_status, creation_time, updated_time (repeat or comma-separate).'),
  sort_dir: queryWord(['asc', 'desc'], 'Sort direction.'),
  limit: queryInt('At most this many stacks (adds a "next" link when the page is full).'),
  marker: queryText('Id of the last stack of the previous page.'),
  show_deleted: queryBool('Include deleted stacks.'),
  show_nested: queryBool('Include nested stacks.'),
  show_hidden: queryBool('Accepted and ignored (Heat: hidden stacks).'),
  with_count: queryBool('Add "count", the number of matching stacks.'),
  global_tenant: queryBool("Admins: every project's stacks."),
});

/** `PUT`/`PATCH …/preview` query. */
const previewQuery = querystring({ show_nested: queryBool('Include the changes inside nested stacks.') });

const updatePreviewAnswer: JsonSchema = {
  type: 'object',
  description: "Heat's resource_changes, plus Hearth's property-level hearth_changes",
  properties: {
    resource_changes: {
      type: 'object',
      properties: Object.fromEntries(
        ['added', 'deleted', 'replaced', 'updated', 'unchanged'].map((k) => [
          k,
          { type: 'array', items: ref('ResourceChange') },
        ]),
      ),
      required: ['added', 'deleted', 'replaced', 'updated', 'unchanged'],
    },
    hearth_changes: { type: 'array', items: ref('PropertyChange') },
  },
  required: ['resource_changes', 'hearth_changes'],
};

/** The stack operations. */
export const stackOperations = {
  list: operation({
    operationId: 'listStacks',
    summary: 'List stacks',
    tag: 'stacks',
    url: BASE,
    querystring: listQuery,
    check: (req) => void parseStackListQuery(query(req)),
    responses: {
      200: {
        type: 'object',
        description: 'The stacks (Heat list items)',
        properties: {
          stacks: { type: 'array', items: ref('StackSummary') },
          links: { type: 'array', items: ref('Link'), description: 'rel "next" when the page is full' },
          count: { type: 'integer', description: 'With with_count=true' },
        },
        required: ['stacks'],
      },
    },
  }),
  create: operation({
    operationId: 'createStack',
    summary: 'Create a stack (or adopt one)',
    description:
      'The template and inputs are validated before anything is stored; a bad one is a 400 listing all problems.',
    tag: 'stacks',
    url: BASE,
    body: createBody,
    check: (req) => void parseCreateBody(req.body),
    responses: {
      201: {
        type: 'object',
        description: 'Created; Location is the stack URL',
        properties: {
          stack: {
            type: 'object',
            properties: { id: { type: 'string' }, links: { type: 'array', items: ref('Link') } },
            required: ['id', 'links'],
          },
        },
        required: ['stack'],
        headers: { Location: { type: 'string', description: 'The stack URL' } },
      },
    },
  }),
  detail: operation({
    operationId: 'listStackDetails',
    summary: 'List stacks with their full bodies',
    tag: 'stacks',
    url: `${BASE}/detail`,
    responses: {
      200: {
        type: 'object',
        description: 'The stacks',
        properties: { stacks: { type: 'array', items: ref('Stack') } },
        required: ['stacks'],
      },
    },
  }),
  preview: operation({
    operationId: 'previewStack',
    summary: 'Preview a stack create',
    tag: 'stacks',
    url: `${BASE}/preview`,
    body: createBody,
    check: (req) => void parseCreateBody(req.body),
    responses: { 200: stackBody('The stack as it would be, with "resources"') },
  }),
  show: operation({
    operationId: 'showStack',
    summary: 'Show a stack',
    tag: 'stacks',
    url: ONE,
    querystring: querystring({ resolve_outputs: queryBool('Resolve output values (default true).') }),
    check: (req) => void boolParam(query(req), 'resolve_outputs'),
    responses: { 200: stackBody('The stack') },
  }),
  update: operation({
    operationId: 'updateStack',
    summary: 'Update a stack with a new template',
    tag: 'stacks',
    url: ONE,
    body: updateBody(false),
    check: (req) => void parseUpdateBody(req.body, false),
    responses: { 202: accepted },
  }),
  patch: operation({
    operationId: 'patchStack',
    summary: 'Update a stack, keeping what is not given (existing)',
    tag: 'stacks',
    url: ONE,
    body: updateBody(true),
    check: (req) => void parseUpdateBody(req.body, true),
    responses: { 202: accepted },
  }),
  delete: operation({
    operationId: 'deleteStack',
    summary: 'Delete a stack',
    tag: 'stacks',
    url: ONE,
    responses: { 204: noContent('Deletion started') },
  }),
  previewUpdate: operation({
    operationId: 'previewStackUpdate',
    summary: 'Preview an update (PUT semantics)',
    tag: 'stacks',
    url: `${ONE}/preview`,
    querystring: previewQuery,
    body: updateBody(false),
    check: (req) => {
      parseUpdateBody(req.body, false);
      boolParam(query(req), 'show_nested');
    },
    responses: { 200: updatePreviewAnswer },
  }),
  previewPatch: operation({
    operationId: 'previewStackPatch',
    summary: 'Preview an update (PATCH semantics)',
    tag: 'stacks',
    url: `${ONE}/preview`,
    querystring: previewQuery,
    body: updateBody(true),
    check: (req) => {
      parseUpdateBody(req.body, true);
      boolParam(query(req), 'show_nested');
    },
    responses: { 200: updatePreviewAnswer },
  }),
};
