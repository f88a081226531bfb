/**
 * Operations on the stored inputs of a stack (`routes/stack-data.ts`) and abandon/export
 * (`routes/abandon.ts`).
 */
import { ref } from './components.js';
import { operation } from './operation.js';

const ONE = '/v1/:tenant/stacks/:stackName/:stackId';
const map = { type: 'object', additionalProperties: true } as const;

/** The stack data operations. */
export const stackDataOperations = {
  template: operation({
    operationId: 'getStackTemplate',
    summary: 'The stored template, as JSON (functions unresolved)',
    tag: 'stack-data',
    url: `${ONE}/template`,
    responses: { 200: { ...map, description: 'The template' } },
  }),
  environment: operation({
    operationId: 'getStackEnvironment',
    summary: 'The merged environment in effect',
    tag: 'stack-data',
    url: `${ONE}/environment`,
    responses: { 200: { ...map, description: 'The environment (with encrypted_param_names)' } },
  }),
  files: operation({
    operationId: 'getStackFiles',
    summary: 'The stored files',
    tag: 'stack-data',
    url: `${ONE}/files`,
    responses: {
      200: { type: 'object', additionalProperties: { type: 'string' }, description: 'File name → content' },
    },
  }),
  abandon: operation({
    operationId: 'abandonStack',
    summary: 'Abandon a stack: remove it from Hearth, keep its resources',
    description: 'Only when the server enables abandon; otherwise 400 NotSupported.',
    tag: 'stack-data',
    url: `${ONE}/abandon`,
    responses: { 200: { ...ref('AbandonData'), description: 'The abandon data' } },
  }),
  export: operation({
    operationId: 'exportStack',
    summary: 'Export a stack (its abandon data, nothing removed)',
    description: 'Only when the server enables abandon; otherwise 400 NotSupported.',
    tag: 'stack-data',
    url: `${ONE}/export`,
    responses: { 200: { ...ref('AbandonData'), description: 'The abandon data' } },
  }),
};
