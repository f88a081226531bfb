/**
 * `GET …/outputs` (keys and descriptions) and `GET …/outputs/{key}` (value or `output_error`).
 */
import type { FastifyInstance } from 'fastify';
import { identifiedStack, param, sendJson, type ApiContext } from '../context.js';
import { route } from '../route-table.js';
import { outputOperations as ops } from '../schemas/outputs.js';
import { formatOutput, formatOutputSummary, sortedOutputs } from '../views/stack.js';

/** Registers the output routes. */
export function registerOutputRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const one = '/v1/:tenant/stacks/:stackName/:stackId';
  route(
    app,
    `${one}/outputs`,
    {
      GET: async (req, reply) => {
        const stack = await identifiedStack(ctx, req);
        const outputs = await ctx.engine.listOutputs(param(req, 'tenant'), stack.id);
        return sendJson(reply, 200, { outputs: sortedOutputs(outputs).map(formatOutputSummary) });
      },
    },
    { GET: ops.list },
  );
  route(
    app,
    `${one}/outputs/:outputKey`,
    {
      GET: async (req, reply) => {
        const stack = await identifiedStack(ctx, req);
        const output = await ctx.engine.showOutput(param(req, 'tenant'), stack.id, param(req, 'outputKey'));
        return sendJson(reply, 200, { output: formatOutput(output) });
      },
    },
    { GET: ops.show },
  );
}
