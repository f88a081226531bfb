/**
 * Registers a path with its method handlers, and for the other methods Heat's answers: `OPTIONS` → 204 with
 * `Allow`, anything else → 405 with a fault body.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiFault } from './faults.js';

/** HTTP methods Heat routes use. */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** A route handler: returns the reply it has sent. */
export type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

const ALL_METHODS: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Registers `url` with `handlers`; other methods answer 405, OPTIONS answers 204 with `Allow`. */
export function route(app: FastifyInstance, url: string, handlers: Partial<Record<Method, Handler>>): void {
  const allowed = ALL_METHODS.filter((m) => handlers[m] !== undefined);
  for (const m of allowed) app.route({ method: m, url, handler: handlers[m]! });
  const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  const others = ALL_METHODS.filter((m) => handlers[m] === undefined);
  if (others.length > 0) {
    app.route({
      method: others,
      url,
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
    handler: async (_req, reply) => reply.code(204).header('allow', allow).send(),
  });
}
