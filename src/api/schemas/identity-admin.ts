/**
 * Operations of Keystone's admin API subset (`api/identity/directory-routes.ts`, `role-routes.ts`,
 * `app-credential-routes.ts`): projects, users, roles and their assignments, application credentials. The checks
 * are the routes' own, in their order (the caller's right first, then the body), so a caller without the right
 * gets its 401/403 whatever the body.
 */
import {
  parseAppCredentialCreate,
  parsePasswordChange,
  parseProjectCreate,
  parseProjectUpdate,
  parseUserCreate,
  parseUserUpdate,
} from '../identity/admin-bodies.js';
import { requireAdmin, requireToken } from '../identity/context.js';
import { identityOperation } from './identity-tokens.js';
import { noContent } from './operation.js';
import { querystring, queryText, type JsonSchema } from './primitives.js';

const PATHS = {
  projectId: 'Project id.',
  userId: 'User id.',
  roleId: 'Role id or name (admin, member, reader).',
  credentialId: 'Application credential id.',
};
const name: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  description: 'Name (no leading or trailing blanks)',
};
const description: JsonSchema = { type: 'string', maxLength: 1024 };
const enabled: JsonSchema = { type: 'boolean' };
const password: JsonSchema = { type: 'string', minLength: 1, maxLength: 4096, writeOnly: true };
const domainId: JsonSchema = { type: 'string', maxLength: 64, description: "Only 'default'" };
const anyObject: JsonSchema = { type: 'object', additionalProperties: true };

/** `{"<key>": {…}}`, as every Keystone body. */
function wrapped(key: string, properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return {
    type: 'object',
    properties: {
      [key]: {
        type: 'object',
        properties,
        ...(required.length ? { required } : {}),
        additionalProperties: true,
      },
    },
    required: [key],
    additionalProperties: true,
  };
}

const single = (key: string, description: string): JsonSchema => ({
  type: 'object',
  description,
  properties: { [key]: anyObject },
  required: [key],
});
const collection = (key: string, description: string): JsonSchema => ({
  type: 'object',
  description,
  properties: { [key]: { type: 'array', items: anyObject }, links: anyObject },
  required: [key, 'links'],
});
const byName = querystring({ name: queryText('Only the one with this name.') });

/** What a project update reads (a create also reads `domain_id`). */
const PROJECT = { name, description, enabled };
/** What a user update reads (a create also reads `domain_id`). */
const USER = {
  name,
  password,
  enabled,
  description,
  default_project_id: { type: ['string', 'null'], maxLength: 64 },
};

/** The admin operations. */
export const identityAdminOperations = {
  listProjects: identityOperation({
    operationId: 'listProjects',
    summary: 'List projects (admin)',
    tag: 'identity',
    url: '/v3/projects',
    querystring: byName,
    responses: { 200: collection('projects', 'The projects') },
  }),
  createProject: identityOperation({
    operationId: 'createProject',
    summary: 'Create a project (admin)',
    tag: 'identity',
    url: '/v3/projects',
    body: wrapped('project', { ...PROJECT, domain_id: domainId }, ['name']),
    check: (req) => {
      requireAdmin(req, 'create_project');
      parseProjectCreate(req.body);
    },
    responses: { 201: single('project', 'The project') },
  }),
  showProject: identityOperation({
    operationId: 'showProject',
    summary: "Show a project (admin, or the token's own)",
    tag: 'identity',
    url: '/v3/projects/:projectId',
    pathParams: PATHS,
    responses: { 200: single('project', 'The project') },
  }),
  updateProject: identityOperation({
    operationId: 'updateProject',
    summary: 'Rename, describe, enable or disable a project (admin)',
    tag: 'identity',
    url: '/v3/projects/:projectId',
    pathParams: PATHS,
    body: wrapped('project', PROJECT),
    check: (req) => {
      requireAdmin(req, 'update_project');
      parseProjectUpdate(req.body);
    },
    responses: { 200: single('project', 'The project') },
  }),
  deleteProject: identityOperation({
    operationId: 'deleteProject',
    summary: 'Delete a project (admin)',
    tag: 'identity',
    url: '/v3/projects/:projectId',
    pathParams: PATHS,
    responses: { 204: noContent('Deleted') },
  }),
  listUsers: identityOperation({
    operationId: 'listUsers',
    summary: 'List users (admin)',
    tag: 'identity',
    url: '/v3/users',
    querystring: byName,
    responses: { 200: collection('users', 'The users') },
  }),
  createUser: identityOperation({
    operationId: 'createUser',
    summary: 'Create a user (admin)',
    tag: 'identity',
    url: '/v3/users',
    body: wrapped('user', { ...USER, domain_id: domainId }, ['name']),
    check: (req) => {
      requireAdmin(req, 'create_user');
      parseUserCreate(req.body);
    },
    responses: { 201: single('user', 'The user (never the password)') },
  }),
  showUser: identityOperation({
    operationId: 'showUser',
    summary: 'Show a user (admin, or oneself)',
    tag: 'identity',
    url: '/v3/users/:userId',
    pathParams: PATHS,
    responses: { 200: single('user', 'The user') },
  }),
  updateUser: identityOperation({
    operationId: 'updateUser',
    summary: 'Change a user (admin)',
    tag: 'identity',
    url: '/v3/users/:userId',
    pathParams: PATHS,
    body: wrapped('user', USER),
    check: (req) => {
      requireAdmin(req, 'update_user');
      parseUserUpdate(req.body);
    },
    responses: { 200: single('user', 'The user') },
  }),
  deleteUser: identityOperation({
    operationId: 'deleteUser',
    summary: 'Delete a user (admin)',
    tag: 'identity',
    url: '/v3/users/:userId',
    pathParams: PATHS,
    responses: { 204: noContent('Deleted') },
  }),
  changePassword: identityOperation({
    operationId: 'changeOwnPassword',
    summary: 'Change one’s own password',
    tag: 'identity',
    url: '/v3/users/:userId/password',
    pathParams: PATHS,
    body: wrapped(
      'user',
      { password, original_password: { type: 'string', maxLength: 4096, writeOnly: true } },
      ['password', 'original_password'],
    ),
    check: (req) => {
      requireToken(req);
      parsePasswordChange(req.body);
    },
    responses: { 204: noContent('Changed') },
  }),
  listUserProjects: identityOperation({
    operationId: 'listUserProjects',
    summary: "A user's projects (admin, or oneself)",
    tag: 'identity',
    url: '/v3/users/:userId/projects',
    pathParams: PATHS,
    responses: { 200: collection('projects', 'The projects') },
  }),
  listRoles: identityOperation({
    operationId: 'listRoles',
    summary: 'List the roles: admin, member, reader',
    tag: 'identity',
    url: '/v3/roles',
    querystring: byName,
    responses: { 200: collection('roles', 'The roles') },
  }),
  showRole: identityOperation({
    operationId: 'showRole',
    summary: 'Show a role',
    tag: 'identity',
    url: '/v3/roles/:roleId',
    pathParams: PATHS,
    responses: { 200: single('role', 'The role') },
  }),
  listGrants: identityOperation({
    operationId: 'listProjectUserRoles',
    summary: "A user's roles on a project (admin)",
    tag: 'identity',
    url: '/v3/projects/:projectId/users/:userId/roles',
    pathParams: PATHS,
    responses: { 200: collection('roles', 'The roles') },
  }),
  grant: identityOperation({
    operationId: 'grantRole',
    summary: 'Give a user a role on a project (admin)',
    tag: 'identity',
    url: '/v3/projects/:projectId/users/:userId/roles/:roleId',
    pathParams: PATHS,
    responses: { 204: noContent('Granted') },
  }),
  checkGrant: identityOperation({
    operationId: 'checkRole',
    summary: 'Whether a user has a role on a project (admin): 204, or 404',
    tag: 'identity',
    url: '/v3/projects/:projectId/users/:userId/roles/:roleId',
    pathParams: PATHS,
    responses: { 204: noContent('Granted') },
  }),
  revoke: identityOperation({
    operationId: 'revokeRole',
    summary: "Take a user's role on a project away (admin)",
    tag: 'identity',
    url: '/v3/projects/:projectId/users/:userId/roles/:roleId',
    pathParams: PATHS,
    responses: { 204: noContent('Revoked') },
  }),
  assignments: identityOperation({
    operationId: 'listRoleAssignments',
    summary: 'List role assignments (one’s own, or any for an admin)',
    tag: 'identity',
    url: '/v3/role_assignments',
    querystring: querystring({
      'user.id': queryText('Only this user’s.'),
      'role.id': queryText('Only this role (id or name).'),
      'scope.project.id': queryText('Only on this project.'),
      effective: queryText('Also the roles they imply (present: true).'),
      include_names: queryText('Add user and project names (present: true).'),
    }),
    responses: { 200: collection('role_assignments', 'The assignments') },
  }),
  createAppCredential: identityOperation({
    operationId: 'createApplicationCredential',
    summary: 'Create an application credential (the secret is shown once)',
    tag: 'identity',
    url: '/v3/users/:userId/application_credentials',
    pathParams: PATHS,
    body: wrapped(
      'application_credential',
      {
        name,
        description,
        secret: password,
        expires_at: { type: ['string', 'null'], maxLength: 64, description: 'ISO 8601 time, or null: never' },
        roles: {
          type: 'array',
          items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
          description: "Roles among the user's on the project (default: all of them)",
        },
        unrestricted: enabled,
      },
      ['name'],
    ),
    check: (req) => {
      requireToken(req);
      parseAppCredentialCreate(req.body);
    },
    responses: { 201: single('application_credential', 'The credential, with its secret') },
  }),
  listAppCredentials: identityOperation({
    operationId: 'listApplicationCredentials',
    summary: "A user's application credentials",
    tag: 'identity',
    url: '/v3/users/:userId/application_credentials',
    pathParams: PATHS,
    querystring: byName,
    responses: { 200: collection('application_credentials', 'The credentials (no secrets)') },
  }),
  showAppCredential: identityOperation({
    operationId: 'showApplicationCredential',
    summary: 'Show an application credential',
    tag: 'identity',
    url: '/v3/users/:userId/application_credentials/:credentialId',
    pathParams: PATHS,
    responses: { 200: single('application_credential', 'The credential (no secret)') },
  }),
  deleteAppCredential: identityOperation({
    operationId: 'deleteApplicationCredential',
    summary: 'Delete an application credential',
    tag: 'identity',
    url: '/v3/users/:userId/application_credentials/:credentialId',
    pathParams: PATHS,
    responses: { 204: noContent('Deleted') },
  }),
};
