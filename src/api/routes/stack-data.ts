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

/** Names of the template's hidden parameters (`hidden: true`; validation refuses anything but a boolean). */
export function hiddenParameterNames(template: unknown): Set<string> {
  const params = (template as { parameters?: unknown } | null)?.parameters;
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return new Set();
  return new Set(
    Object.entries(params as Record<string, unknown>)
      .filter(([, schema]) => {
        return (schema as { hidden?: unknown } | null)?.hidden === true;
      })
      .map(([name]) => name),
  );
}

/**
 * The environment with the values of hidden parameters masked as `******` (in `parameters` and
 * `parameter_defaults`), as stack show masks them: secrets never appear in API output. (Heat 19 returns them in
 * clear here.)
 */
export function maskHiddenParameters(
  env: Record<string, unknown>,
  hidden: Set<string>,
): Record<string, unknown> {
  if (hidden.size === 0) return env;
  const mask = (section: unknown): unknown => {
    if (section === null || typeof section !== 'object' || Array.isArray(section)) return section;
    return Object.fromEntries(
      Object.entries(section as Record<string, unknown>).map(([k, v]) => [k, hidden.has(k) ? '******' : v]),
    );
  };
  const out: Record<string, unknown> = { ...env };
  if ('parameters' in out) out.parameters = mask(out.parameters);
  if ('parameter_defaults' in out) out.parameter_defaults = mask(out.parameter_defaults);
  return out;
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
        const hidden = hiddenParameterNames(storedTemplateJson(stack.inputs.template));
        return sendJson(
          reply,
          200,
          storedEnvironmentJson(maskHiddenParameters(stack.inputs.mergedEnvironment, hidden)),
        );
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
