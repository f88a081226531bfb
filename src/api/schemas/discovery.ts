/**
 * Operations of template versions and resource types (`routes/discovery.ts`).
 */
import { query } from '../context.js';
import { boolParam } from '../params.js';
import { operation } from './operation.js';
import { queryBool, queryText, querystring } from './primitives.js';

const TENANT = '/v1/:tenant';
const map = { type: 'object', additionalProperties: true } as const;

/** The discovery operations. */
export const discoveryOperations = {
  templateVersions: operation({
    operationId: 'listTemplateVersions',
    summary: 'List template versions',
    tag: 'discovery',
    url: `${TENANT}/template_versions`,
    responses: {
      200: {
        type: 'object',
        description: 'The versions',
        properties: {
          template_versions: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                version: { type: 'string', examples: ['heat_template_version.2018-08-31'] },
                type: { type: 'string', enum: ['hot', 'cfn'] },
                aliases: { type: 'array', items: { type: 'string' } },
              },
              required: ['version', 'type', 'aliases'],
            },
          },
        },
        required: ['template_versions'],
      },
    },
  }),
  templateFunctions: operation({
    operationId: 'listTemplateFunctions',
    summary: 'List the functions of a template version',
    tag: 'discovery',
    url: `${TENANT}/template_versions/:version/functions`,
    querystring: querystring({ with_condition_func: queryBool('Also list the condition functions.') }),
    check: (req) => void boolParam(query(req), 'with_condition_func'),
    responses: {
      200: {
        type: 'object',
        description: 'The functions',
        properties: {
          template_functions: {
            type: 'array',
            items: {
              type: 'object',
              properties: { functions: { type: 'string' }, description: { type: 'string' } },
              required: ['functions', 'description'],
            },
          },
        },
        required: ['template_functions'],
      },
    },
  }),
  resourceTypes: operation({
    operationId: 'listResourceTypes',
    summary: 'List resource types',
    tag: 'discovery',
    url: `${TENANT}/resource_types`,
    querystring: querystring({
      name: queryText('Filter: a regular expression on the type name.'),
      with_description: queryBool('List {resource_type, description} objects instead of names.'),
      support_status: queryText('Filter: SUPPORTED, DEPRECATED, UNSUPPORTED, HIDDEN.'),
    }),
    check: (req) => void boolParam(query(req), 'with_description'),
    responses: {
      200: {
        type: 'object',
        description: 'Type names (or objects with with_description)',
        properties: {
          resource_types: {
            type: 'array',
            items: {
              anyOf: [
                { type: 'string' },
                {
                  type: 'object',
                  properties: { resource_type: { type: 'string' }, description: { type: 'string' } },
                  required: ['resource_type'],
                },
              ],
            },
          },
        },
        required: ['resource_types'],
      },
    },
  }),
  resourceTypeSchema: operation({
    operationId: 'showResourceType',
    summary: 'The schema of a resource type (properties, attributes, support status)',
    tag: 'discovery',
    url: `${TENANT}/resource_types/:type`,
    responses: { 200: { ...map, description: 'The type schema' } },
  }),
  resourceTypeTemplate: operation({
    operationId: 'generateResourceTypeTemplate',
    summary: 'A template exposing a resource type (its properties as parameters)',
    tag: 'discovery',
    url: `${TENANT}/resource_types/:type/template`,
    querystring: querystring({
      template_type: queryText("cfn (default) or hot; anything else is refused with Heat's message."),
    }),
    responses: { 200: { ...map, description: 'The generated template' } },
  }),
};
