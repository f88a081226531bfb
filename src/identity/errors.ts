/**
 * Failures of the identity service, each with its HTTP status; the API renders them in Keystone's error shape
 * (`{"error": {"code", "title", "message"}}`). Messages never contain secrets.
 */

/** Keystone's titles by status. */
export const IDENTITY_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
};

/** The one message of every failed authentication, whatever was wrong (Keystone's wording). */
export const UNAUTHORIZED_MESSAGE = 'The request you have made requires authentication.';

/** An identity failure with its HTTP status. */
export class IdentityError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 429,
    message: string,
    /** For 429: seconds until another attempt may succeed (`Retry-After`). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'IdentityError';
  }

  /** Keystone's title of the status (`Unauthorized`, …). */
  get title(): string {
    return IDENTITY_TITLES[this.status] ?? 'Error';
  }
}

/** 401 with Keystone's message: the same for a wrong password, an unknown user, a disabled one, a bad scope. */
export function unauthorized(): IdentityError {
  return new IdentityError(401, UNAUTHORIZED_MESSAGE);
}

/** 404 `Could not find project: <id>.` (Keystone's wording). */
export function notFound(kind: string, id: string): IdentityError {
  return new IdentityError(404, `Could not find ${kind}: ${id}.`);
}

/** 403 `You are not authorized to perform the requested action: identity:<action>.` */
export function forbidden(action: string): IdentityError {
  return new IdentityError(
    403,
    `You are not authorized to perform the requested action: identity:${action}.`,
  );
}

/** 409 for a name already taken. */
export function conflict(kind: string, name: string): IdentityError {
  return new IdentityError(
    409,
    `Conflict occurred attempting to store ${kind} - Duplicate entry: a ${kind} named '${name}' already exists.`,
  );
}

/** 400 naming the bad field (`auth.identity.password.user.name`), the value received and what is allowed. */
export function invalidField(path: string, problem: string): IdentityError {
  return new IdentityError(400, `Invalid input for field '${path}': ${problem}`);
}

/** 429 after too many failed attempts. */
export function tooManyRequests(retryAfterSeconds: number): IdentityError {
  return new IdentityError(
    429,
    `Too many failed authentication attempts; try again in ${retryAfterSeconds} seconds.`,
    retryAfterSeconds,
  );
}
