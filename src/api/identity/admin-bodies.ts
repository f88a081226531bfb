/**
 * Request bodies of the `/v3` admin routes: `{"project": {…}}`, `{"user": {…}}`, `{"application_credential": {…}}`.
 * Unknown members are ignored (Keystone keeps them as extras; Hearth does not store them).
 */
import type { RoleName } from '../../identity/caller.js';
import type { AppCredentialInput } from '../../identity/app-credentials.js';
import type { ProjectChanges, ProjectInput, UserInput, UserUpdate } from '../../identity/directory.js';
import { invalidField } from '../../identity/errors.js';
import { findRole } from '../../identity/roles.js';
import {
  describeValue,
  nameAt,
  objectAt,
  optionalBoolean,
  optionalString,
  stringAt,
  type JsonObject,
} from './fields.js';

const PASSWORD = { max: 4096, secret: true } as const;
const DESCRIPTION = { min: 0, max: 1024 } as const;

/** The wrapped object of a body (`{"project": {…}}`). */
function wrapped(body: unknown, key: string): JsonObject {
  return objectAt(objectAt(body, 'body')[key], key);
}

/** `domain_id`, when given, must be Hearth's one domain. */
function checkDomain(obj: JsonObject, path: string): void {
  const domain = optionalString(obj, 'domain_id', path, { max: 64 });
  if (domain !== undefined && domain !== 'default') {
    throw invalidField(
      `${path}.domain_id`,
      `${describeValue(domain)} is not a domain here (the only one is 'default').`,
    );
  }
}

/** `{"project": {"name", "description"?, "enabled"?, "domain_id"?}}`. @throws IdentityError 400 */
export function parseProjectCreate(body: unknown): ProjectInput {
  const p = wrapped(body, 'project');
  checkDomain(p, 'project');
  return {
    name: nameAt(p['name'], 'project.name'),
    description: optionalString(p, 'description', 'project', DESCRIPTION) ?? '',
    enabled: optionalBoolean(p, 'enabled', 'project') ?? true,
  };
}

/** `{"project": {"name"?, "description"?, "enabled"?}}`. @throws IdentityError 400 */
export function parseProjectUpdate(body: unknown): ProjectChanges {
  const p = wrapped(body, 'project');
  const changes: { name?: string; description?: string; enabled?: boolean } = {};
  if (p['name'] !== undefined) changes.name = nameAt(p['name'], 'project.name');
  const description = optionalString(p, 'description', 'project', DESCRIPTION);
  if (description !== undefined) changes.description = description;
  const enabled = optionalBoolean(p, 'enabled', 'project');
  if (enabled !== undefined) changes.enabled = enabled;
  return changes;
}

/** An optional `default_project_id` (null clears it). */
function defaultProject(u: JsonObject): string | null | undefined {
  if (u['default_project_id'] === null) return null;
  return optionalString(u, 'default_project_id', 'user', { max: 64 });
}

/** `{"user": {"name", "password"?, "enabled"?, "default_project_id"?, "description"?}}`. @throws IdentityError 400 */
export function parseUserCreate(body: unknown): UserInput {
  const u = wrapped(body, 'user');
  checkDomain(u, 'user');
  const password = optionalString(u, 'password', 'user', PASSWORD);
  const project = defaultProject(u);
  return {
    name: nameAt(u['name'], 'user.name'),
    ...(password !== undefined ? { password } : {}),
    enabled: optionalBoolean(u, 'enabled', 'user') ?? true,
    ...(project !== undefined ? { defaultProjectId: project } : {}),
    description: optionalString(u, 'description', 'user', DESCRIPTION) ?? '',
  };
}

/** `{"user": {"name"?, "password"?, "enabled"?, "default_project_id"?, "description"?}}`. @throws IdentityError 400 */
export function parseUserUpdate(body: unknown): UserUpdate {
  const u = wrapped(body, 'user');
  const update: { -readonly [K in keyof UserUpdate]: UserUpdate[K] } = {};
  if (u['name'] !== undefined) update.name = nameAt(u['name'], 'user.name');
  const password = optionalString(u, 'password', 'user', PASSWORD);
  if (password !== undefined) update.password = password;
  const enabled = optionalBoolean(u, 'enabled', 'user');
  if (enabled !== undefined) update.enabled = enabled;
  const project = defaultProject(u);
  if (project !== undefined) update.defaultProjectId = project;
  const description = optionalString(u, 'description', 'user', DESCRIPTION);
  if (description !== undefined) update.description = description;
  return update;
}

/** `{"user": {"password", "original_password"}}` (a user changing their own password). @throws IdentityError 400 */
export function parsePasswordChange(body: unknown): { password: string; originalPassword: string } {
  const u = wrapped(body, 'user');
  return {
    password: stringAt(u['password'], 'user.password', PASSWORD),
    originalPassword: stringAt(u['original_password'], 'user.original_password', { ...PASSWORD, min: 0 }),
  };
}

/** The roles of an application credential: `[{"id": …} | {"name": …}]`. */
function roleList(value: unknown, path: string): RoleName[] {
  if (!Array.isArray(value))
    throw invalidField(path, `expected a list of roles, got ${describeValue(value)}.`);
  return value.map((item, i) => {
    const obj = objectAt(item, `${path}[${i}]`);
    const ref =
      optionalString(obj, 'id', `${path}[${i}]`, { max: 64 }) ?? optionalString(obj, 'name', `${path}[${i}]`);
    const role = ref === undefined ? undefined : findRole(ref);
    if (!role) {
      throw invalidField(
        `${path}[${i}]`,
        `${describeValue(item)} is not a role (roles: admin, member, reader).`,
      );
    }
    return role;
  });
}

/** An ISO 8601 time, or null. */
function expiry(value: unknown, path: string): string | null {
  if (value === null) return null;
  const text = stringAt(value, path, { max: 64 });
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  if (Number.isNaN(ms)) {
    throw invalidField(path, `${describeValue(value)} is not an ISO 8601 time (e.g. 2030-01-31T12:00:00Z).`);
  }
  return new Date(ms).toISOString();
}

/**
 * `{"application_credential": {"name", "description"?, "secret"?, "expires_at"?, "roles"?, "unrestricted"?}}`.
 * @throws IdentityError 400
 */
export function parseAppCredentialCreate(body: unknown): AppCredentialInput {
  const c = wrapped(body, 'application_credential');
  const path = 'application_credential';
  const secret = optionalString(c, 'secret', path, PASSWORD);
  return {
    name: nameAt(c['name'], `${path}.name`),
    description: optionalString(c, 'description', path, DESCRIPTION) ?? '',
    ...(secret !== undefined ? { secret } : {}),
    ...(c['expires_at'] !== undefined ? { expiresAt: expiry(c['expires_at'], `${path}.expires_at`) } : {}),
    ...(c['roles'] !== undefined ? { roles: roleList(c['roles'], `${path}.roles`) } : {}),
    unrestricted: optionalBoolean(c, 'unrestricted', path) ?? false,
  };
}
