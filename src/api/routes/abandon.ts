/**
 * `DELETE …/abandon` (remove the stack from Hearth, keep its resources, answer the abandon data) and
 * `GET …/export` (the same data, nothing removed). Both are Heat's `enable_stack_abandon` feature: while it is
 * off (Heat's default) they answer 400 `NotSupported` "Stack Abandon is not supported." before even looking at
 * the stack, as Heat's engine does.
 */
import type { FastifyInstance } from 'fastify';
import { HeatError } from '../../template/errors.js';
import { identifiedStack, param, sendJson, type ApiContext } from '../context.js';
import { route } from '../route-table.js';
import { stackDataOperations as ops } from '../schemas/stack-data.js';

/** Heat's error while abandon/export is disabled. */
export function abandonNotSupported(): HeatError {
  return new HeatError('NotSupported', 'Stack Abandon is not supported.');
}

/** Registers abandon and export. */
export function registerAbandonRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const one = '/v1/:tenant/stacks/:stackName/:stackId';
  route(
    app,
    `${one}/abandon`,
    {
      DELETE: async (req, reply) => {
        if (!ctx.features.abandon) throw abandonNotSupported();
        const stack = await identifiedStack(ctx, req);
        return sendJson(reply, 200, await ctx.engine.abandonStack(param(req, 'tenant'), stack.id));
      },
    },
    { DELETE: ops.abandon },
  );
  route(
    app,
    `${one}/export`,
    {
      GET: async (req, reply) => {
        if (!ctx.features.abandon) throw abandonNotSupported();
        const stack = await identifiedStack(ctx, req);
        return sendJson(reply, 200, await ctx.engine.exportStack(param(req, 'tenant'), stack.id));
      },
    },
    { GET: ops.export },
  );
}
