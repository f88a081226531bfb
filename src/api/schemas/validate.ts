/**
 * The template validation operation (`routes/validate.ts`).
 */
import type { Operation } from '../route-table.js';
import { query } from '../context.js';
import { boolParam } from '../params.js';
import { parseValidateBody } from '../request-body.js';
import { ref } from './components.js';
import { operation } from './operation.js';
import { queryBool, queryText, querystring } from './primitives.js';
import { validateBody } from './stack-inputs.js';

/** `POST /v1/{tenant}/validate`. */
export const validateOperation: Operation = operation({
  operationId: 'validateTemplate',
  summary: 'Validate a template with its environment and parameters',
  tag: 'validate',
  url: '/v1/:tenant/validate',
  querystring: querystring({
    show_nested: queryBool('Also report the parameters of nested (provider) templates.'),
    with_warnings: queryBool('Hearth: add "Warnings", likely mistakes that are not errors.'),
    ignore_errors: queryText('Error codes to ignore (repeat or comma-separate).'),
  }),
  body: validateBody,
  check: (req) => {
    const q = query(req);
    boolParam(q, 'show_nested');
    boolParam(q, 'with_warnings');
    parseValidateBody(req.body, {});
  },
  responses: {
    200: {
      type: 'object',
      description: "The template's description, parameters and environment, as Heat's validate answers",
      properties: {
        Description: { type: 'string' },
        Parameters: { type: 'object', additionalProperties: { type: 'object', additionalProperties: true } },
        ParameterGroups: { type: 'array' },
        Environment: { type: 'object', additionalProperties: true },
        NestedParameters: { type: 'object', additionalProperties: true, description: 'With show_nested' },
        Warnings: { type: 'array', items: ref('Problem'), description: 'With with_warnings=true' },
      },
      required: ['Description', 'Parameters', 'Environment'],
    },
  },
});
