/**
 * Request body parsing as Heat's `JSONRequestDeserializer`: the body is JSON whatever the Content-Type says,
 * an empty body is no body, and malformed JSON is a 400.
 */
import type { FastifyInstance } from 'fastify';
import { badRequest } from './faults.js';

/** Parses a request body text. @throws HeatError HTTPBadRequest for malformed JSON. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(`The request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** Replaces Fastify's body parsers with {@link parseJsonBody} for every content type. */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}
