/**
 * `operation()`: one place that turns an operation's description (id, tag, query, body, responses) into the
 * Fastify schema of its route, adding what every operation shares: the path parameters of its URL, the
 * token security of authenticated routes, and Heat's fault body for every error status.
 */
import type { FastifyRequest } from 'fastify';
import type { Operation } from '../route-table.js';
import { ref } from './components.js';
import { pathParams, type JsonSchema } from './primitives.js';
import type { ApiTag } from './tags.js';

/** Name of the security scheme (the `X-Auth-Token` header) in the OpenAPI document. */
export const TOKEN_SECURITY = 'authToken';

/** What an operation is made of. */
export interface OperationSpec {
  /** Unique across the API (the OpenAPI `operationId`). */
  operationId: string;
  /** One line. */
  summary: string;
  description?: string;
  tag: ApiTag;
  /** The route URL (Fastify syntax, `:param`); its parameters become the params schema. */
  url: string;
  /** Descriptions of path parameters not in the shared list. */
  pathParams?: Record<string, string>;
  /** True for routes answered without a token (version documents, the OpenAPI document, token creation). */
  public?: boolean;
  querystring?: JsonSchema;
  /** Request headers the operation reads (besides X-Auth-Token). */
  headers?: JsonSchema;
  body?: JsonSchema;
  /** Answers by status code (`200`, `2xx`…), each with a `description`; errors get Heat's fault body. */
  responses: Record<string, JsonSchema>;
  /** See {@link Operation.check}. */
  check?: (req: FastifyRequest) => void;
}

/** The answer of operations that answer nothing (`204 No Content`). */
export function noContent(description: string): JsonSchema {
  return { type: 'null', description };
}

/** Builds the {@link Operation} of a route. */
export function operation(spec: OperationSpec): Operation {
  const schema: Record<string, unknown> = {
    operationId: spec.operationId,
    summary: spec.summary,
    tags: [spec.tag],
    response: { ...spec.responses, default: ref('Fault', "Heat's fault body (any error status)") },
  };
  if (spec.description) schema.description = spec.description;
  if (!spec.public) schema.security = [{ [TOKEN_SECURITY]: [] }];
  if (spec.url.includes(':')) schema.params = pathParams(spec.url, spec.pathParams);
  if (spec.querystring) schema.querystring = spec.querystring;
  if (spec.headers) schema.headers = spec.headers;
  if (spec.body) schema.body = spec.body;
  return spec.check ? { schema, check: spec.check } : { schema };
}
