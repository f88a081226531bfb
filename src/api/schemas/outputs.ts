/**
 * Operations of stack outputs (`routes/outputs.ts`).
 */
import { ref } from './components.js';
import { operation } from './operation.js';

const BASE = '/v1/:tenant/stacks/:stackName/:stackId/outputs';

/** The output operations. */
export const outputOperations = {
  list: operation({
    operationId: 'listOutputs',
    summary: 'List outputs (keys and descriptions)',
    tag: 'outputs',
    url: BASE,
    responses: {
      200: {
        type: 'object',
        description: 'The outputs, sorted by key',
        properties: {
          outputs: {
            type: 'array',
            items: {
              type: 'object',
              properties: { output_key: { type: 'string' }, description: { type: 'string' } },
              required: ['output_key', 'description'],
            },
          },
        },
        required: ['outputs'],
      },
    },
  }),
  show: operation({
    operationId: 'showOutput',
    summary: 'Show an output with its value (or output_error)',
    tag: 'outputs',
    url: `${BASE}/:outputKey`,
    responses: {
      200: {
        type: 'object',
        description: 'The output',
        properties: { output: ref('Output') },
        required: ['output'],
      },
    },
  }),
};
