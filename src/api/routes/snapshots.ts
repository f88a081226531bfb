/**
 * Stack snapshots (Heat's snapshot API): `POST …/snapshots` `{name}` answers the new snapshot itself (200),
 * `GET …/snapshots` `{snapshots}`, `GET …/snapshots/{id}` `{snapshot}`, `DELETE` 204, and
 * `POST …/snapshots/{id}/restore` 202 (the restore runs asynchronously, as a stack action `RESTORE`).
 */
import type { FastifyInstance } from 'fastify';
import { identifiedStack, param, sendJson, webobBody, type ApiContext } from '../context.js';
import { badRequest } from '../faults.js';
import { bodyObject } from '../request-body.js';
import { route } from '../route-table.js';
import { snapshotOperations as ops } from '../schemas/snapshots.js';
import { formatSnapshot } from '../views/snapshot.js';

/**
 * The snapshot name of a create body (`{}` or no body: unnamed).
 * @throws HeatError HTTPBadRequest when `name` is not a string.
 */
export function snapshotName(raw: unknown): string | null {
  const name = bodyObject(raw).name;
  if (name === undefined || name === null) return null;
  if (typeof name !== 'string') throw badRequest('The snapshot "name" must be a string.');
  return name;
}

/** Registers the snapshot routes. */
export function registerSnapshotRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { engine } = ctx;
  const base = '/v1/:tenant/stacks/:stackName/:stackId/snapshots';
  route(
    app,
    base,
    {
      POST: async (req, reply) => {
        const name = snapshotName(req.body);
        const stack = await identifiedStack(ctx, req);
        const snapshot = await engine.createSnapshot(param(req, 'tenant'), stack.id, name);
        return sendJson(reply, 200, formatSnapshot(snapshot));
      },
      GET: async (req, reply) => {
        const stack = await identifiedStack(ctx, req);
        const snapshots = await engine.listSnapshots(param(req, 'tenant'), stack.id);
        return sendJson(reply, 200, { snapshots: snapshots.map(formatSnapshot) });
      },
    },
    { POST: { ...ops.create, check: (req) => void snapshotName(req.body) }, GET: ops.list },
  );
  route(
    app,
    `${base}/:snapshotId`,
    {
      GET: async (req, reply) => {
        const stack = await identifiedStack(ctx, req);
        const snapshot = await engine.showSnapshot(param(req, 'tenant'), stack.id, param(req, 'snapshotId'));
        return sendJson(reply, 200, { snapshot: formatSnapshot(snapshot) });
      },
      DELETE: async (req, reply) => {
        const stack = await identifiedStack(ctx, req);
        await engine.deleteSnapshot(param(req, 'tenant'), stack.id, param(req, 'snapshotId'));
        return reply.code(204).send();
      },
    },
    { GET: ops.show, DELETE: ops.delete },
  );
  route(
    app,
    `${base}/:snapshotId/restore`,
    {
      POST: async (req, reply) => {
        const stack = await identifiedStack(ctx, req);
        await engine.restoreSnapshot(param(req, 'tenant'), stack.id, param(req, 'snapshotId'));
        return sendJson(
          reply,
          202,
          webobBody('202 Accepted', 'The request is accepted for processing.<br /><br />\n\n\n'),
        );
      },
    },
    { POST: ops.restore },
  );
}
