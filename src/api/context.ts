/**
 * What every route family receives: the engine, the optional features the server enables, and the request
 * helpers shared by the routes.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EngineService } from '../engine/service.js';
import type { StackRecord } from '../engine/store.js';
import type { Query } from './params.js';

/** Shared state of the routes. */
export interface ApiContext {
  engine: EngineService;
  maxBodyBytes: number;
  /** Heat's `enable_stack_abandon` / `enable_stack_adopt` (both off by default, as in Heat). */
  features: ApiFeatures;
  /** The engine processes sharing the database (`GET /services`); none: this process's own engine. */
  services?: () => Promise<EngineProcessView[]>;
}

/** An engine process as `GET /services` shows it. */
export interface EngineProcessView {
  id: string;
  host: string;
  /** `engine` or `server` (API and engine in one process). */
  role: string;
  startedAt: number;
  heartbeatAt: number;
  /** Whether its heartbeat is recent. */
  up: boolean;
}

/** Optional Heat features, off unless the server enables them. */
export interface ApiFeatures {
  /** `DELETE …/abandon` and `GET …/export` (Heat's `enable_stack_abandon`). */
  abandon: boolean;
  /** `POST /stacks` with `adopt_stack_data` (Heat's `enable_stack_adopt`). */
  adopt: boolean;
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
