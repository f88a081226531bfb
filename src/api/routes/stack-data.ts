/**
 * The stored inputs of a stack: `GET …/template` (as JSON, functions unresolved), `…/environment` (the merged
 * environment in effect) and `…/files`.
 */
import type { FastifyInstance } from 'fastify';
import { parseSource } from '../../template/source.js';
import { identifiedStack, sendJson, type ApiContext } from '../context.js';
import { route } from '../route-table.js';
import { stackDataOperations as ops } from '../schemas/stack-data.js';

/** The stored template as a JSON value (text templates are parsed; Heat returns the parsed dict). */
export function storedTemplateJson(template: unknown): unknown {
  if (typeof template !== 'string') return template;
  return parseSource(template, { maxSize: Number.MAX_SAFE_INTEGER }).value;
}

/** Heat's stored environment always lists `encrypted_param_names`. */
export function storedEnvironmentJson(env: Record<string, unknown>): Record<string, unknown> {
  return 'encrypted_param_names' in env ? env : { ...env, encrypted_param_names: [] };
}

/** Registers template / environment / files. */
export function registerStackDataRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const one = '/v1/:tenant/stacks/:stackName/:stackId';
  route(
    app,
    `${one}/template`,
    {
      GET: async (req, reply) => {
        const stack = await identifiedStack(ctx, req);
        return sendJson(reply, 200, storedTemplateJson(stack.inputs.template));
      },
    },
    { GET: ops.template },
  );
  route(
    app,
    `${one}/environment`,
    {
      GET: async (req, reply) => {
        const stack = await identifiedStack(ctx, req);
        return sendJson(reply, 200, storedEnvironmentJson(stack.inputs.mergedEnvironment));
      },
    },
    { GET: ops.environment },
  );
  route(
    app,
    `${one}/files`,
    {
      GET: async (req, reply) => {
        const stack = await identifiedStack(ctx, req);
        return sendJson(reply, 200, stack.inputs.files);
      },
    },
    { GET: ops.files },
  );
}
