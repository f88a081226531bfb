/**
 * What every route family receives: the engine, optional engine operations Hearth's API can use when the
 * engine offers them, and the request helpers shared by the routes.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EngineService, StackUpdateRequest } from '../engine/service.js';
import type { StackRecord } from '../engine/store.js';
import type { Query } from './params.js';

/**
 * Engine operations that the {@link EngineService} contract does not (yet) declare. The API calls them when the
 * engine object has them, and answers 400 `NotSupported` otherwise.
 */
export interface EngineExtensions {
  /** Update preview: Heat's `resource_changes` `{added, deleted, replaced, unchanged, updated}`. */
  previewUpdateStack?(
    projectId: string,
    stackId: string,
    req: StackUpdateRequest & { showNested?: boolean },
  ): Promise<Record<string, unknown>>;
  /** `PATCH …/resources/{name}` `{mark_unhealthy, resource_status_reason}`. */
  markResourceUnhealthy?(
    projectId: string,
    stackId: string,
    resourceName: string,
    markUnhealthy: boolean,
    reason: string,
  ): Promise<void>;
}

/** Shared state of the routes. */
export interface ApiContext {
  engine: EngineService & EngineExtensions;
  maxBodyBytes: number;
}

/** A route parameter (already URL-decoded by the router). */
export function param(req: FastifyRequest, name: string): string {
  return (req.params as Record<string, string>)[name] ?? '';
}

/** The parsed query string. */
export function query(req: FastifyRequest): Query {
  return req.query as Query;
}

/** The stack addressed by `/stacks/:stackName/:stackId` (exact name + id). */
export function identifiedStack(ctx: ApiContext, req: FastifyRequest): Promise<StackRecord> {
  return ctx.engine.getStack(param(req, 'tenant'), param(req, 'stackName'), param(req, 'stackId'));
}

/** Answers `status` with a JSON body. */
export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type('application/json; charset=UTF-8').send(JSON.stringify(body));
}

/** Heat's bodies for answers without content of their own (webob's `HTTPAccepted`, …). */
export function webobBody(status: '202 Accepted' | '302 Found', message: string): Record<string, string> {
  return { message, code: status, title: status.slice(4) };
}
