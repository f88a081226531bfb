/**
 * Operations of stack snapshots (`routes/snapshots.ts`; its `snapshotName` is the create check, added there).
 */
import { ref } from './components.js';
import { noContent, operation } from './operation.js';

const BASE = '/v1/:tenant/stacks/:stackName/:stackId/snapshots';

/** The snapshot operations. */
export const snapshotOperations = {
  create: operation({
    operationId: 'createSnapshot',
    summary: 'Take a snapshot',
    tag: 'snapshots',
    url: BASE,
    body: {
      type: ['object', 'null'],
      description: 'Optional; unknown keys are ignored.',
      properties: { name: { type: ['string', 'null'], description: 'Snapshot name' } },
      additionalProperties: true,
    },
    responses: { 200: { ...ref('Snapshot'), description: 'The snapshot itself' } },
  }),
  list: operation({
    operationId: 'listSnapshots',
    summary: 'List snapshots',
    tag: 'snapshots',
    url: BASE,
    responses: {
      200: {
        type: 'object',
        description: 'The snapshots',
        properties: { snapshots: { type: 'array', items: ref('Snapshot') } },
        required: ['snapshots'],
      },
    },
  }),
  show: operation({
    operationId: 'showSnapshot',
    summary: 'Show a snapshot',
    tag: 'snapshots',
    url: `${BASE}/:snapshotId`,
    responses: {
      200: {
        type: 'object',
        description: 'The snapshot',
        properties: { snapshot: ref('Snapshot') },
        required: ['snapshot'],
      },
    },
  }),
  delete: operation({
    operationId: 'deleteSnapshot',
    summary: 'Delete a snapshot',
    tag: 'snapshots',
    url: `${BASE}/:snapshotId`,
    responses: { 204: noContent('Deleted') },
  }),
  restore: operation({
    operationId: 'restoreSnapshot',
    summary: 'Restore the stack to a snapshot (stack action RESTORE)',
    tag: 'snapshots',
    url: `${BASE}/:snapshotId/restore`,
    responses: {
      202: { ...ref('WebobMessage'), description: 'Accepted: the restore runs in the background' },
    },
  }),
};
