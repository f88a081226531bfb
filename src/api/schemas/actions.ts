/**
 * The stack actions operation (`routes/actions.ts`; its `parseActionBody` is the check, added there).
 */
import type { Operation } from '../route-table.js';
import { operation } from './operation.js';

/** Heat's stack actions (as `STACK_ACTIONS` in `routes/actions.ts`). */
export const ACTION_NAMES = ['suspend', 'resume', 'check', 'cancel_update', 'cancel_without_rollback'];

/** `POST …/actions` with exactly one action key. */
export const actionOperation: Operation = operation({
  operationId: 'runStackAction',
  summary: 'Suspend, resume, check or cancel an update',
  description: 'The body has exactly one key, the action; its value is ignored (null by convention).',
  tag: 'stack-actions',
  url: '/v1/:tenant/stacks/:stackName/:stackId/actions',
  body: {
    type: 'object',
    properties: Object.fromEntries(ACTION_NAMES.map((a) => [a, { description: `Run ${a}` }])),
    propertyNames: { enum: ACTION_NAMES },
    minProperties: 1,
    maxProperties: 1,
    examples: [{ suspend: null }],
  },
  responses: { 200: { type: 'null', description: 'Started (body: null)' } },
});
