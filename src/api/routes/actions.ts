/**
 * `POST …/actions` with exactly one of `suspend`, `resume`, `check`, `cancel_update`, `cancel_without_rollback`.
 */
import type { FastifyInstance } from 'fastify';
import { identifiedStack, param, sendJson, type ApiContext } from '../context.js';
import { badRequest } from '../faults.js';
import { bodyObject } from '../request-body.js';
import { route } from '../route-table.js';
import { actionOperation } from '../schemas/actions.js';

/** Heat's stack actions. */
export const STACK_ACTIONS = ['suspend', 'resume', 'check', 'cancel_update', 'cancel_without_rollback'];

/**
 * The single action named by an actions body.
 * @throws HeatError HTTPBadRequest `No action specified` / `Multiple actions specified` / `Invalid action X specified`.
 */
export function parseActionBody(raw: unknown): string {
  const keys = Object.keys(bodyObject(raw));
  if (keys.length < 1) throw badRequest('No action specified');
  if (keys.length > 1) throw badRequest('Multiple actions specified');
  const action = keys[0]!;
  if (!STACK_ACTIONS.includes(action)) throw badRequest(`Invalid action ${action} specified`);
  return action;
}

/** Registers the actions route. */
export function registerActionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  route(
    app,
    '/v1/:tenant/stacks/:stackName/:stackId/actions',
    {
      POST: async (req, reply) => {
        const action = parseActionBody(req.body);
        const stack = await identifiedStack(ctx, req);
        await ctx.engine.stackAction(param(req, 'tenant'), stack.id, action);
        return sendJson(reply, 200, null);
      },
    },
    { POST: { ...actionOperation, check: (req) => void parseActionBody(req.body) } },
  );
}
