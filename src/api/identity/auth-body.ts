/**
 * Parses a Keystone `POST /v3/auth/tokens` body into an {@link AuthRequest}:
 * `{"auth": {"identity": {"methods": [...], "password": {...} | "token": {...} | "application_credential": {...}},
 *   "scope": {"project": {...}} | "unscoped"}}`. Malformed parts are 400s naming the field's path; well-formed
 * requests for what Hearth does not offer (domain or system scope) are the ordinary 401.
 */
import type {
  AuthCredential,
  AuthRequest,
  AuthScope,
  DomainRef,
  ProjectRef,
  UserRef,
} from '../../identity/auth-request.js';
import { invalidField, unauthorized } from '../../identity/errors.js';
import {
  describeValue,
  objectAt,
  optionalObject,
  optionalString,
  stringAt,
  type JsonObject,
} from './fields.js';

/** Authentication methods Hearth accepts. */
export const AUTH_METHODS = ['password', 'token', 'application_credential'] as const;

const SECRET = { max: 4096, secret: true } as const;

/** A `domain` member: `{"id": …}` or `{"name": …}`. */
function domainRef(parent: JsonObject, path: string): DomainRef | undefined {
  const domain = optionalObject(parent, 'domain', path);
  if (!domain) return undefined;
  const id = optionalString(domain, 'id', `${path}.domain`, { max: 64 });
  const name = optionalString(domain, 'name', `${path}.domain`);
  if (id === undefined && name === undefined) {
    throw invalidField(`${path}.domain`, 'expected "id" or "name".');
  }
  return id !== undefined ? { id } : { name: name! };
}

/** A user or project reference: `{"id": …}` or `{"name": …, "domain": {…}}`. */
function entityRef(value: unknown, path: string): UserRef | ProjectRef {
  const obj = objectAt(value, path);
  const id = optionalString(obj, 'id', path, { max: 64 });
  if (id !== undefined) return { id };
  const name = optionalString(obj, 'name', path);
  if (name === undefined) throw invalidField(path, 'expected "id", or "name" with "domain".');
  const domain = domainRef(obj, path);
  return domain ? { name, domain } : { name };
}

/** The credential of the one method named in `methods`. */
function credential(identity: JsonObject): AuthCredential {
  const path = 'auth.identity';
  const methods = identity['methods'];
  if (!Array.isArray(methods) || methods.length === 0) {
    throw invalidField(
      `${path}.methods`,
      `expected a non-empty list of method names, got ${describeValue(methods)}.`,
    );
  }
  const method = methods[0] as unknown;
  if (typeof method !== 'string' || !(AUTH_METHODS as readonly string[]).includes(method)) {
    throw invalidField(
      `${path}.methods[0]`,
      `${describeValue(method)} is not a supported method (supported: ${AUTH_METHODS.join(', ')}).`,
    );
  }
  if (methods.length > 1) {
    throw invalidField(`${path}.methods`, `expected exactly one method, got ${describeValue(methods)}.`);
  }
  const data = objectAt(identity[method], `${path}.${method}`);
  const at = `${path}.${method}`;
  switch (method) {
    case 'password': {
      const user = objectAt(data['user'], `${at}.user`);
      return {
        method,
        user: entityRef(user, `${at}.user`),
        password: stringAt(user['password'], `${at}.user.password`, { ...SECRET, min: 0 }),
      };
    }
    case 'token':
      return { method, token: stringAt(data['id'], `${at}.id`, { ...SECRET, max: 512 }) };
    default: {
      const secret = stringAt(data['secret'], `${at}.secret`, SECRET);
      const id = optionalString(data, 'id', at, { max: 64 });
      if (id !== undefined) return { method: 'application_credential', id, secret };
      const name = optionalString(data, 'name', at);
      if (name === undefined || data['user'] === undefined) {
        throw invalidField(at, 'expected "id", or "name" with "user".');
      }
      return { method: 'application_credential', name, user: entityRef(data['user'], `${at}.user`), secret };
    }
  }
}

/** The requested scope. */
function scope(auth: JsonObject): AuthScope {
  const value = auth['scope'];
  if (value === undefined) return { kind: 'default' };
  if (value === 'unscoped') return { kind: 'unscoped' };
  const obj = objectAt(value, 'auth.scope');
  if (obj['project'] !== undefined)
    return { kind: 'project', project: entityRef(obj['project'], 'auth.scope.project') };
  // Domain, system and trust scopes are valid Keystone requests, but nobody holds such a role here.
  if (obj['domain'] !== undefined || obj['system'] !== undefined || obj['OS-TRUST:trust'] !== undefined) {
    throw unauthorized();
  }
  throw invalidField(
    'auth.scope',
    `expected "project" or the string "unscoped", got ${describeValue(value)}.`,
  );
}

/** Parses the body. @throws IdentityError 400 (malformed), 401 (a scope nobody can hold here) */
export function parseAuthBody(body: unknown, clientAddress: string): AuthRequest {
  const root = objectAt(body, 'body');
  const auth = objectAt(root['auth'], 'auth');
  const identity = objectAt(auth['identity'], 'auth.identity');
  return { credential: credential(identity), scope: scope(auth), clientAddress };
}
