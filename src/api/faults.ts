/**
 * Heat's fault body (heat/api/middleware/fault.py) and the mapping of every failure onto it.
 *
 * Body: `{code, title, explanation, error: {type, message, traceback: null}}`. Hearth adds `error.problems`
 * (structured problems with template path / file:line:column / hint) only when there is more to say than the
 * message, so clients that compare Heat's exact keys still see Heat's shape for plain errors.
 */
import { HeatError, problemsOf, type Problem } from '../template/errors.js';
import { isValidationError, schemaFault } from './schemas/validation.js';

/** Titles and explanations of the HTTP statuses Hearth answers with (webob's wording). */
const STATUS_TEXT: Record<number, { title: string; explanation: string }> = {
  400: {
    title: 'Bad Request',
    explanation:
      'The server could not comply with the request since it is either malformed or otherwise incorrect.',
  },
  401: {
    title: 'Unauthorized',
    explanation:
      'This server could not verify that you are authorized to access the document you requested.  Either you ' +
      'supplied the wrong credentials (e.g., bad password), or your browser does not understand how to supply ' +
      'the credentials required.',
  },
  403: { title: 'Forbidden', explanation: 'Access was denied to this resource.' },
  404: { title: 'Not Found', explanation: 'The resource could not be found.' },
  405: { title: 'Method Not Allowed', explanation: 'The method specified is not allowed for this resource.' },
  409: { title: 'Conflict', explanation: 'There was a conflict when trying to complete your request.' },
  413: {
    title: 'Request Entity Too Large',
    explanation: 'The body of your request was too large for this server.',
  },
  415: {
    title: 'Unsupported Media Type',
    explanation: 'The request media type is not supported by this server.',
  },
  500: {
    title: 'Internal Server Error',
    explanation: 'The server has either erred or is incapable of performing the requested operation.',
  },
  503: {
    title: 'Service Unavailable',
    explanation: 'The server is currently unavailable. Please try again at a later time.',
  },
};

/** The JSON body of an error answer. */
export interface FaultBody {
  code: number;
  title: string;
  explanation: string;
  error: { type: string; message: string; traceback: null; problems?: Problem[] };
}

/**
 * An error raised by the API layer itself (request shape, auth, routing) whose type may be outside Hearth's
 * {@link HeatError} table (e.g. `HTTPUnauthorized`).
 */
export class ApiFault extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFault';
  }
}

/** Shorthand for Heat's `webob.exc.HTTPBadRequest(message)`. */
export function badRequest(message: string): HeatError {
  return new HeatError('HTTPBadRequest', message);
}

/** Builds a fault body for a status, type and message. */
export function faultBody(status: number, type: string, message: string, problems?: Problem[]): FaultBody {
  const text = STATUS_TEXT[status] ?? STATUS_TEXT[status >= 500 ? 500 : 400]!;
  const body: FaultBody = {
    code: status,
    title: text.title,
    explanation: text.explanation,
    error: { type, message, traceback: null },
  };
  if (problems && problems.length > 0) body.error.problems = problems;
  return body;
}

/**
 * Heat 19 no longer raises `StackNotFound`: a missing stack is `EntityNotFound` on the wire. Hearth code may
 * still use the older name; clients see Heat's.
 */
function wireType(type: string): string {
  return type === 'StackNotFound' ? 'EntityNotFound' : type;
}

/** True when a problem carries more than its type and message. */
function isDetailed(p: Problem): boolean {
  return p.path !== undefined || p.file !== undefined || p.hint !== undefined;
}

/** The fault body for a {@link HeatError} (one problem or a whole ValidationFailure). */
export function heatErrorFault(err: HeatError): FaultBody {
  const problems = problemsOf(err).map((p) => p.toProblem());
  const extra = problems.length > 1 || problems.some(isDetailed);
  return faultBody(err.status, wireType(err.type), err.message, extra ? problems : undefined);
}

/** Duck-typing for HeatErrors thrown by another copy of the module (or plain objects shaped like one). */
function looksLikeHeatError(err: unknown): err is HeatError {
  return (
    err instanceof HeatError ||
    (err instanceof Error &&
      typeof (err as { type?: unknown }).type === 'string' &&
      typeof (err as { status?: unknown }).status === 'number' &&
      typeof (err as { toProblem?: unknown }).toProblem === 'function')
  );
}

/** Result of classifying any thrown value. */
export interface FaultAnswer {
  status: number;
  body: FaultBody;
  /** True when the error was unexpected (to be logged; answered with a generic message). */
  unexpected: boolean;
}

/**
 * Maps any thrown value to the answer: HeatError → its status/type/message; ApiFault → itself; a request the
 * route schema rejects → 400 naming the field, the value and what is allowed; Fastify's own client errors (bad
 * JSON, too large, unsupported media type) → Heat-style 4xx; anything else → a generic 500 (never a stack trace
 * or an internal message).
 */
export function toFault(err: unknown, maxBodyBytes: number, bodyBytes?: number): FaultAnswer {
  if (isValidationError(err)) {
    return { status: 400, body: heatErrorFault(schemaFault(err)), unexpected: false };
  }
  if (looksLikeHeatError(err)) {
    const body = heatErrorFault(err);
    return { status: err.status, body, unexpected: err.status >= 500 };
  }
  if (err instanceof ApiFault) {
    return { status: err.status, body: faultBody(err.status, err.type, err.message), unexpected: false };
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    // Heat's message names the body's size; a body sent without Content-Length is cut off unmeasured.
    const size = bodyBytes !== undefined && bodyBytes > maxBodyBytes ? ` (${bodyBytes} bytes)` : '';
    const message =
      `Request limit exceeded: JSON body size${size} exceeds maximum allowed size ` +
      `(${maxBodyBytes} bytes).`;
    return { status: 400, body: faultBody(400, 'RequestLimitExceeded', message), unexpected: false };
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return {
      status: 415,
      body: faultBody(415, 'HTTPUnsupportedMediaType', 'The request media type is not supported.'),
      unexpected: false,
    };
  }
  const statusCode = (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 && err instanceof Error) {
    return { status: 400, body: faultBody(400, 'HTTPBadRequest', err.message), unexpected: false };
  }
  return {
    status: 500,
    body: faultBody(
      500,
      'HTTPInternalServerError',
      'An unexpected error occurred while handling the request; it has been logged.',
    ),
    unexpected: true,
  };
}
