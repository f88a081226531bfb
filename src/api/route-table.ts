/**
 * Registers a path with its method handlers and their schemas, and for the other methods Heat's answers:
 * `OPTIONS` → 204 with `Allow`, anything else → 405 with a fault body.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { ApiFault } from './faults.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Marks the routes {@link route} adds for `OPTIONS` and for the methods a path does not serve (405): they
     * have no operation of their own, so they carry no schema and stay out of the OpenAPI document.
     */
    methodFallback?: boolean;
  }
}

/** HTTP methods Heat routes use. */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** A route handler: returns the reply it has sent. */
export type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/**
 * The contract of one operation (a method of a path): the schema Fastify validates the request with (and the
 * OpenAPI document is generated from), and optionally the handler's own request checks.
 */
export interface Operation {
  /** Params, querystring, body (validated), responses (documented), operationId, tags, security. */
  schema: FastifySchema;
  /**
   * The handler's own checks, in its order, with Heat's exact messages (e.g. `parseCreateBody`). When the
   * schema refuses a request they run first, so that a request Heat would refuse with its own message gets
   * that message; the schema's answer (field, value, what is allowed) is given only when they find nothing.
   */
  check?: (req: FastifyRequest) => void;
}

const ALL_METHODS: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * The route options of one operation. A request the schema refuses is answered where the handler would have
 * started — after the `onRequest`/`preHandler` hooks (identity, policy: a caller without the right gets its 401
 * or 403 whatever the body), and after the operation's {@link Operation.check}.
 */
export function operationRoute(
  operation: Operation | undefined,
  handler: Handler,
): { schema?: FastifySchema; attachValidation?: boolean; handler: Handler } {
  if (!operation) return { handler };
  const { schema, check } = operation;
  return {
    schema,
    attachValidation: true,
    handler: async (req, reply) => {
      if (req.validationError) {
        check?.(req);
        throw req.validationError;
      }
      return handler(req, reply);
    },
  };
}

/**
 * Registers `url` with `handlers` (each validated by its operation's schema); other methods answer 405,
 * OPTIONS answers 204 with `Allow`.
 */
export function route(
  app: FastifyInstance,
  url: string,
  handlers: Partial<Record<Method, Handler>>,
  operations: Partial<Record<Method, Operation>> = {},
): void {
  const allowed = ALL_METHODS.filter((m) => handlers[m] !== undefined);
  for (const m of allowed) app.route({ method: m, url, ...operationRoute(operations[m], handlers[m]!) });
  const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  const others = ALL_METHODS.filter((m) => handlers[m] === undefined);
  const fallback = { config: { methodFallback: true }, schema: { hide: true } };
  if (others.length > 0) {
    app.route({
      method: others,
      url,
      ...fallback,
      handler: async (req, reply) => {
        void reply.header('allow', allow);
        throw new ApiFault(
          405,
          'HTTPMethodNotAllowed',
          `The method ${req.method} is not allowed for this resource.`,
        );
      },
    });
  }
  app.route({
    method: 'OPTIONS',
    url,
    ...fallback,
    handler: async (_req, reply) => reply.code(204).header('allow', allow).send(),
  });
}
